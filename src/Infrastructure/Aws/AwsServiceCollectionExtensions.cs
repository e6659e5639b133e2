using Amazon;
using Amazon.Runtime;
using CleanCognito.Infrastructure.CognitoIdentity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.Aws;

/// <summary>The one registration an AWS service needs to be called as the signed-in user (docs/adding-an-aws-service.md).</summary>
internal static class AwsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> (validated at start-up) and lets <see cref="UserAwsClients"/>
    /// make <typeparamref name="TClient"/>s for the current user: region resolved once (the section's,
    /// or the identity pool's), the endpoint for a local stand-in, the attempt timeout, then
    /// <paramref name="configure"/> for what only this service has (S3's path-style addressing).
    /// </summary>
    /// <param name="name">The service in a user's words ("notes"): the 503 page and the log say it.</param>
    public static IServiceCollection AddUserAwsService<TClient, TConfig, TOptions>(
        this IServiceCollection services, string name, Action<TConfig, TOptions>? configure = null)
        where TClient : AmazonServiceClient
        where TConfig : ClientConfig, new()
        where TOptions : class, IAwsServiceOptions
    {
        services.AddOptions<TOptions>().BindConfiguration(TOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, AwsServiceOptionsValidator<TOptions>>());
        services.TryAddSingleton<AwsClientPool>();
        services.TryAddScoped<UserAwsClients>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TOptions>>().Value;
            var regionName = string.IsNullOrWhiteSpace(options.Region)
                ? sp.GetRequiredService<IOptions<IdentityPoolOptions>>().Value.EffectiveRegion
                : options.Region;
            var region = RegionEndpoint.GetBySystemName(regionName);
            return new AwsService<TClient>(name, region, TimeSpan.FromSeconds(options.TimeoutSeconds), credentials =>
            {
                // Timeout bounds one HTTP attempt; UserAwsClients bounds the whole call, retries included.
                var config = new TConfig { RegionEndpoint = region, Timeout = TimeSpan.FromSeconds(options.AttemptTimeoutSeconds) };
                if (!string.IsNullOrWhiteSpace(options.ServiceUrl))
                {
                    config.ServiceURL = options.ServiceUrl;
                    config.AuthenticationRegion = regionName;
                }

                configure?.Invoke(config, options);
                // Every AWS SDK client has this constructor (credentials, its config).
                return (TClient)Activator.CreateInstance(typeof(TClient), credentials, config)!;
            });
        });
        return services;
    }
}
