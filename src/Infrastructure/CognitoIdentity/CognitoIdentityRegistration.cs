using System.Text;
using CleanCognito.Application.Common.Credentials;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Telemetry;
using CleanCognito.Infrastructure.Configuration;
using CleanCognito.Infrastructure.Health;
using CleanCognito.Infrastructure.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace CleanCognito.Infrastructure.CognitoIdentity;

/// <summary>The identity pool: the credential exchange behind the credential cache.</summary>
internal static class CognitoIdentityRegistration
{
    public static IServiceCollection AddCognitoIdentity(this IServiceCollection services, IHealthChecksBuilder health)
    {
        services.AddValidatedOptions<IdentityPoolOptions, IdentityPoolOptionsValidator>(IdentityPoolOptions.SectionName);

        services.AddRefitGeneratedClient<ICognitoIdentityApi>(CognitoIdentityJsonContext.Default)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = sp.GetRequiredService<IOptions<IdentityPoolOptions>>().Value.EffectiveServiceUrl)
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider sp) =>
            {
                var options = sp.GetRequiredService<IOptions<IdentityPoolOptions>>().Value;
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(Math.Min(4, options.TimeoutSeconds));
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
                resilience.Retry.MaxRetryAttempts = Math.Max(1, options.MaxRetries);
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                resilience.Retry.BackoffType = DelayBackoffType.Exponential;
                resilience.Retry.UseJitter = true;

                // Both operations only read, so repeating them is safe. Cognito Identity signals
                // throttling as TooManyRequestsException, which may come as a 400, not only a 429.
                var retryTransient = resilience.Retry.ShouldHandle;
                resilience.Retry.ShouldHandle = async args =>
                    options.MaxRetries > 0
                    && (await retryTransient(args)
                        || (args.Outcome.Result is { } response && await CognitoIdentityErrors.IsThrottlingAsync(response, args.Context.CancellationToken)));
            });

        // Singleton, because the credential cache (a singleton) depends on it; counted and traced per call.
        services.AddSingleton<ICredentialExchange>(sp => new InstrumentedCredentialExchange(
            new CognitoIdentityCredentialExchange(
                sp.GetRequiredService<ICognitoIdentityApi>,
                sp.GetRequiredService<IOptions<IdentityPoolOptions>>(),
                sp.GetRequiredService<ILogger<CognitoIdentityCredentialExchange>>()),
            sp.GetRequiredService<AppMetrics>()));
        // The credential cache (Application) is registered there; its policy is a setting, read here only.
        services.AddSingleton(sp => new CredentialCachePolicy(
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<IdentityPoolOptions>>().Value.RefreshMarginSeconds)));

        // An empty GetId: a 400 proves the service is there.
        health.AddUpstream("cognito-identity", sp =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, sp.GetRequiredService<IOptions<IdentityPoolOptions>>().Value.EffectiveServiceUrl)
            {
                Content = new StringContent("{}", Encoding.UTF8, CognitoIdentityWire.ContentType),
            };
            request.Headers.Add("X-Amz-Target", CognitoIdentityWire.GetIdTarget);
            return request;
        });
        return services;
    }
}
