using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure.AppSync;
using CleanCognito.Infrastructure.Cognito;
using CleanCognito.Infrastructure.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace CleanCognito.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Registers every adapter behind the Application ports, with its options and health check.</summary>
    public static IServiceCollection AddInfrastructureServices(this IServiceCollection services)
    {
        services.AddHttpClient(UpstreamHealthCheck.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(3));
        services.TryAddSingleton(TimeProvider.System);
        var health = services.AddHealthChecks();

        services.AddCognito(health);
        services.AddAppSync(health);
        return services;
    }

    private static void AddCognito(this IServiceCollection services, IHealthChecksBuilder health)
    {
        services.AddOptions<CognitoOptions>().BindConfiguration(CognitoOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CognitoOptions>, CognitoOptionsValidator>();

        services.AddHttpClient(SigningKeyCache.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<ISigningKeySource, SigningKeyCache>();
        services.AddSingleton<CognitoTokenValidator>();

        services.AddRefitGeneratedClient<IUserPoolTokenApi>(UserPoolJsonContext.Default)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = sp.GetRequiredService<IOptions<CognitoOptions>>().Value.DomainUri)
            .AddStandardResilienceHandler()
            .Configure(resilience =>
            {
                // A sign-in code is single-use and a refresh may rotate the token: never resend a POST.
                resilience.Retry.DisableForUnsafeHttpMethods();
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
            });
        services.AddScoped<IUserPoolClient, UserPoolClient>();

        health.AddUpstream("cognito", sp => new HttpRequestMessage(
            HttpMethod.Get,
            sp.GetRequiredService<IOptions<CognitoOptions>>().Value.EffectiveMetadataAddress));
    }

    private static void AddAppSync(this IServiceCollection services, IHealthChecksBuilder health)
    {
        services.AddOptions<AppSyncOptions>().BindConfiguration(AppSyncOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AppSyncOptions>, AppSyncOptionsValidator>();

        services.AddRefitGeneratedClient<IAppSyncApi>(AppSyncJsonContext.Default)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = new Uri(sp.GetRequiredService<IOptions<AppSyncOptions>>().Value.Endpoint))
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
    }

    private static bool IsMutation(ResilienceContext context) =>
        context.GetRequestMessage()?.Options.TryGetValue(new HttpRequestOptionsKey<bool>(AppSyncRequestOptions.IsMutation), out var isMutation) == true
        && isMutation;
}
