using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure.Configuration;
using CleanCognito.Infrastructure.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace CleanCognito.Infrastructure.AppSync;

/// <summary>The AppSync GraphQL API behind IGraphQlGateway.</summary>
internal static class AppSyncRegistration
{
    public static IServiceCollection AddAppSync(this IServiceCollection services, IHealthChecksBuilder health)
    {
        services.AddValidatedOptions<AppSyncOptions, AppSyncOptionsValidator>(AppSyncOptions.SectionName);

        // The token handler outside the resilience handler: its one resend after a renewal gets
        // attempts and timeouts of its own, and a renewal's wait never counts against an attempt.
        services.AddTransient<AppSyncAuthorizationHandler>();
        services.AddRefitGeneratedClient<IAppSyncApi>(AppSyncJsonContext.Default)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = new Uri(sp.GetRequiredService<IOptions<AppSyncOptions>>().Value.Endpoint))
            .AddHttpMessageHandler<AppSyncAuthorizationHandler>()
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider sp) =>
            {
                var options = sp.GetRequiredService<IOptions<AppSyncOptions>>().Value;
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(options.AttemptTimeoutSeconds);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, 2 * options.AttemptTimeoutSeconds));
                resilience.Retry.MaxRetryAttempts = Math.Max(1, options.MaxQueryRetries);
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                resilience.Retry.UseJitter = true;

                // A mutation that timed out may still have been applied: never send it again.
                var retryTransient = resilience.Retry.ShouldHandle;
                resilience.Retry.ShouldHandle = args =>
                    IsMutation(args.Context) || options.MaxQueryRetries == 0 ? PredicateResult.False() : retryTransient(args);
            });

        services.AddScoped<IGraphQlGateway, AppSyncGraphQlGateway>();

        health.AddUpstream("appsync", sp => new HttpRequestMessage(
            HttpMethod.Post,
            sp.GetRequiredService<IOptions<AppSyncOptions>>().Value.Endpoint));
        return services;
    }

    private static bool IsMutation(ResilienceContext context) =>
        context.GetRequestMessage()?.Options.TryGetValue(new HttpRequestOptionsKey<bool>(AppSyncRequestOptions.IsMutation), out var isMutation) == true
        && isMutation;
}
