using CleanCognito.Application.Common.Telemetry;
using CleanCognito.Infrastructure.Configuration;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CleanCognito.Web.Telemetry;

/// <summary>
/// OpenTelemetry, off by default: without an OTLP endpoint no SDK is registered, so no span is
/// created and no instrument has a listener (the app's counters then cost a few nanoseconds). With
/// one, traces (ASP.NET Core, HttpClient, the app's own spans), metrics (the same, plus the
/// <see cref="AppMetrics"/> instruments) and logs go to it over OTLP, in the background: a receiver
/// that is down costs dropped telemetry, never a failed request.
/// </summary>
internal static class TelemetrySetup
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TelemetryOptions, TelemetryOptionsValidator>(TelemetryOptions.SectionName);

        var options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var standardEndpoint = !string.IsNullOrWhiteSpace(configuration[TelemetryOptions.StandardEndpointVariable]);
        if (options.Endpoint is null && !standardEndpoint)
        {
            // Off (or a malformed setting, which the validator reports at start-up).
            return services;
        }

        var named = !string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]);
        var telemetry = services.AddOpenTelemetry()
            // An explicit service name would override the standard OTEL_SERVICE_NAME, so it is only the default.
            .ConfigureResource(resource =>
            {
                if (!named)
                {
                    resource.AddService(AppTelemetry.Name);
                }
            })
            .WithTracing(tracing => tracing
                .AddSource(AppTelemetry.Name)
                // Query strings are recorded with their values redacted (the instrumentation's
                // default, asserted by the tests): /signin-oidc?code=… never reaches a span.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = IsTraced)
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(AppTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());

        if (options.Endpoint is { } endpoint && options.Protocol is { } protocol)
        {
            telemetry.UseOtlpExporter(protocol, endpoint);
        }
        else
        {
            // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS, … itself.
            telemetry.UseOtlpExporter();
        }

        return services;
    }

    /// <summary>Health probes (every few seconds, from every load balancer node) would drown the traces that matter.</summary>
    private static bool IsTraced(HttpContext context) => !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
}
