using Microsoft.Extensions.DependencyInjection;
using Polly.Telemetry;

namespace CleanCognito.Infrastructure.Http;

/// <summary>
/// Polly logs every failed attempt and every retry of an upstream call at Warning/Error with the
/// exception and its stack trace: one AppSync outage made six lines. The app already writes one
/// Warning per failed call (upstream, kind, correlation id), so Polly's events drop to Debug; set
/// <c>Logging:LogLevel:Polly</c> to <c>Debug</c> to see each attempt. Metrics are not affected.
/// </summary>
internal static class ResilienceLogging
{
    public static IServiceCollection AddQuietResilienceLogging(this IServiceCollection services) =>
        services.Configure<TelemetryOptions>(options => options.SeverityProvider = _ => ResilienceEventSeverity.Debug);
}
