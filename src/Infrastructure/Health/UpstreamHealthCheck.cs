using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanCognito.Infrastructure.Health;

/// <summary>
/// Ready when the upstream answers HTTP at all below 500: a 401 from AppSync or a 400 from Cognito
/// Identity to an empty probe still proves the service is there and reachable.
/// </summary>
internal sealed class UpstreamHealthCheck(IHttpClientFactory httpClientFactory, Func<HttpRequestMessage> createProbe) : IHealthCheck
{
    public const string HttpClientName = "health-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var request = createProbe();
        try
        {
            using var client = httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return (int)response.StatusCode < 500
                ? HealthCheckResult.Healthy($"{request.RequestUri?.GetLeftPart(UriPartial.Authority)} answered {(int)response.StatusCode}.")
                : HealthCheckResult.Unhealthy($"{request.RequestUri?.GetLeftPart(UriPartial.Authority)} answered {(int)response.StatusCode}.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // The message says enough; a stack trace per probe would flood the logs while an upstream is down.
            return HealthCheckResult.Unhealthy($"{request.RequestUri?.GetLeftPart(UriPartial.Authority)} did not answer ({ex.GetType().Name}).");
        }
    }
}

public static class UpstreamHealthCheckExtensions
{
    /// <summary>The tag of checks that <c>/health/ready</c> runs.</summary>
    public const string ReadyTag = "ready";

    internal static IHealthChecksBuilder AddUpstream(this IHealthChecksBuilder builder, string name, Func<IServiceProvider, HttpRequestMessage> createProbe) =>
        builder.Add(new HealthCheckRegistration(
            name,
            sp => new UpstreamHealthCheck(sp.GetRequiredService<IHttpClientFactory>(), () => createProbe(sp)),
            HealthStatus.Unhealthy,
            [ReadyTag],
            TimeSpan.FromSeconds(5)));
}
