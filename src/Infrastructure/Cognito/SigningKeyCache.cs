using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Infrastructure.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CleanCognito.Infrastructure.Cognito;

/// <summary>Where token signing keys come from; tests give keys directly.</summary>
public interface ISigningKeySource
{
    ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A token named a key we do not have (Cognito rotated its keys). Fetches the JWKS again, unless
    /// it was fetched within the penalty window, so garbage <c>kid</c>s cannot hammer the pool.
    /// </summary>
    ValueTask<IReadOnlyList<SecurityKey>> RefreshForUnknownKeyAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The user pool's JWKS, read through the one <see cref="ConfigurationManager{T}"/> of the app: the
/// hosted-UI sign-in handler uses the same instance (<see cref="UserPoolMetadata"/>), so a key
/// rotation seen by either is seen by both. Cached for a day; an unknown <c>kid</c> fetches again at
/// most once per penalty window.
/// </summary>
internal sealed partial class SigningKeyCache(
    IConfigurationManager<OpenIdConnectConfiguration> metadata,
    IOptions<CognitoOptions> options,
    TimeProvider time,
    ILogger<SigningKeyCache> logger) : ISigningKeySource
{
    private readonly Lock _gate = new();
    private DateTimeOffset _lastForcedFetch = DateTimeOffset.MinValue;

    // The key list of the configuration seen last: every request asks for the keys (a kept token
    // verdict checks its key is still there), and the configuration changes only on a fetch.
    private KeyList? _last;

    public async ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(CancellationToken cancellationToken) =>
        KeysOf(await FetchAsync(cancellationToken));

    public async ValueTask<IReadOnlyList<SecurityKey>> RefreshForUnknownKeyAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (now - _lastForcedFetch >= TimeSpan.FromSeconds(options.Value.JwksRefreshPenaltySeconds))
            {
                _lastForcedFetch = now;
                metadata.RequestRefresh();
            }
        }

        var keys = KeysOf(await FetchAsync(cancellationToken));
        LogKeysAfterUnknownKid(logger, keys.Count);
        return keys;
    }

    private IReadOnlyList<SecurityKey> KeysOf(OpenIdConnectConfiguration configuration)
    {
        var last = _last;
        if (last is null || !ReferenceEquals(last.Configuration, configuration))
        {
            _last = last = new KeyList(configuration, [.. configuration.SigningKeys]);
        }

        return last.Keys;
    }

    private async Task<OpenIdConnectConfiguration> FetchAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await metadata.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            // No keys at all yet (the pool was never reached): the manager keeps stale keys otherwise.
            throw new UpstreamUnavailableException("Cognito", "The user pool's signing keys could not be fetched.", ex);
        }
    }

    private sealed record KeyList(OpenIdConnectConfiguration Configuration, IReadOnlyList<SecurityKey> Keys);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A token named an unknown signing key; the user pool publishes {Count} keys")]
    private static partial void LogKeysAfterUnknownKid(ILogger logger, int count);
}

/// <summary>Builds the app's single discovery-document + JWKS cache.</summary>
internal static class UserPoolMetadata
{
    public const string HttpClientName = "cognito-jwks";

    /// <summary>
    /// In IdentityModel 8 a requested refresh runs on a background thread and the caller still gets the
    /// old keys; blocking mode makes the request that saw an unknown <c>kid</c> wait for the new JWKS,
    /// so the first sign-in after a key rotation succeeds. IdentityModel caches the switch at the first
    /// token it handles, so it is set in runtimeconfig.json (Directory.Build.props); setting it here
    /// only helps a host that built no token before.
    /// </summary>
    private const string BlockingRefreshSwitch = "Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking";

    public static ConfigurationManager<OpenIdConnectConfiguration> Create(IServiceProvider services) => Create(
        services.GetRequiredService<IOptions<CognitoOptions>>().Value,
        services.GetRequiredService<IHostEnvironment>(),
        services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName));

    public static ConfigurationManager<OpenIdConnectConfiguration> Create(CognitoOptions options, IHostEnvironment environment, HttpClient client)
    {
        AppContext.SetSwitch(BlockingRefreshSwitch, true);
        var retriever = new HttpDocumentRetriever(client) { RequireHttps = !environment.IsLocal() };
        return new ConfigurationManager<OpenIdConnectConfiguration>(options.EffectiveMetadataAddress, new OpenIdConnectConfigurationRetriever(), retriever)
        {
            AutomaticRefreshInterval = TimeSpan.FromHours(24),
            // The penalty window: how often an unknown kid may fetch again, and how long a failed
            // fetch is not retried (so an outage does not make every request wait for a timeout).
            RefreshInterval = TimeSpan.FromSeconds(options.JwksRefreshPenaltySeconds),
        };
    }
}
