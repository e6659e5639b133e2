using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Sessions;
using CleanCognito.Application.Common.Telemetry;
using CleanCognito.Infrastructure.Configuration;
using CleanCognito.Infrastructure.Health;
using CleanCognito.Infrastructure.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Protocols;
using Refit;

namespace CleanCognito.Infrastructure.Cognito;

/// <summary>The user pool: sign-in, token refresh and token validation.</summary>
internal static class CognitoRegistration
{
    public static IServiceCollection AddCognito(this IServiceCollection services, IHealthChecksBuilder health)
    {
        services.AddValidatedOptions<CognitoOptions, CognitoOptionsValidator>(CognitoOptions.SectionName);

        services.AddHttpClient(UserPoolMetadata.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));

        // One discovery/JWKS cache for the sign-in handler and the cookie validator alike.
        services.AddSingleton<IConfigurationManager<OpenIdConnectConfiguration>>(UserPoolMetadata.Create);
        services.AddSingleton<ISigningKeySource, SigningKeyCache>();
        services.AddSingleton<ValidatedTokenCache>();
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
        services.AddScoped<UserPoolClient>();
        // Counted and traced (Telemetry/): a refresh that reaches the pool is the number the quotas care about.
        services.AddScoped<IUserPoolClient>(sp => new InstrumentedUserPoolClient(sp.GetRequiredService<UserPoolClient>(), sp.GetRequiredService<AppMetrics>()));
        services.AddSingleton(sp => new SignOutPolicy(TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<CognitoOptions>>().Value.RefreshCookieAgeSeconds)));

        health.AddUpstream("cognito", sp => new HttpRequestMessage(
            HttpMethod.Get,
            sp.GetRequiredService<IOptions<CognitoOptions>>().Value.EffectiveMetadataAddress));
        return services;
    }
}
