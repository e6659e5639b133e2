using CleanCognito.Application.Common.Telemetry;
using CleanCognito.Infrastructure.AppSync;
using CleanCognito.Infrastructure.Aws;
using CleanCognito.Infrastructure.Cognito;
using CleanCognito.Infrastructure.CognitoIdentity;
using CleanCognito.Infrastructure.DataProtection;
using CleanCognito.Infrastructure.Health;
using CleanCognito.Infrastructure.Http;
using CleanCognito.Infrastructure.SharedStore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CleanCognito.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// Registers every adapter behind the Application ports, with its options and health check: one
    /// block per upstream, next to its adapter (<c>{Upstream}/{Upstream}Registration.cs</c>).
    /// </summary>
    public static IServiceCollection AddInfrastructureServices(this IServiceCollection services)
    {
        // The factory's per-request logging handlers write only at Information and below, which the
        // configured level (System.Net.Http.HttpClient: Warning) drops; they still opened a logging
        // scope and timed every upstream call (docs/BENCHMARKS.md, issue 16's second pass). Failures
        // are logged by the adapters themselves, without URLs.
        services.ConfigureHttpClientDefaults(client => client.RemoveAllLoggers());
        services.AddQuietResilienceLogging();
        services.AddHttpClient(UpstreamHealthCheck.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(3));
        services.TryAddSingleton(TimeProvider.System);
        // The adapters count what they do (Telemetry/); a host registers the meter factory already,
        // a bare service collection (tests, tools) gets one here. Both calls are idempotent.
        services.AddMetrics();
        services.TryAddSingleton<AppMetrics>();
        var health = services.AddHealthChecks();

        return services
            .AddCognito(health)
            .AddAppSync(health)
            .AddCognitoIdentity(health)
            .AddStorage(health)
            .AddNotes()
            .AddSharedStore()
            .AddKeyRingEncryption();
    }
}
