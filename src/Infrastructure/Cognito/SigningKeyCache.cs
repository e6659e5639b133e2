using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Infrastructure.Configuration;
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

/// <summary>The user pool's JWKS (via its discovery document), cached for a day and shared by all requests.</summary>
internal sealed partial class SigningKeyCache(
    IHttpClientFactory httpClientFactory,
    IOptions<CognitoOptions> options,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<SigningKeyCache> logger) : ISigningKeySource, IDisposable
{
    public const string HttpClientName = "cognito-jwks";
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _snapshot;

    public async ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        return snapshot is not null && Age(snapshot) < MaxAge
            ? snapshot.Keys
            : await FetchAsync(MaxAge, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<SecurityKey>> RefreshForUnknownKeyAsync(CancellationToken cancellationToken) =>
        await FetchAsync(TimeSpan.FromSeconds(options.Value.JwksRefreshPenaltySeconds), cancellationToken);

    public void Dispose() => _gate.Dispose();

    /// <summary>Fetches unless a fetch younger than <paramref name="freshEnough"/> exists (checked again inside the lock).</summary>
    private async ValueTask<IReadOnlyList<SecurityKey>> FetchAsync(TimeSpan freshEnough, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = _snapshot;
            if (current is not null && Age(current) < freshEnough)
            {
                return current.Keys;
            }

            try
            {
                using var client = httpClientFactory.CreateClient(HttpClientName);
                var retriever = new HttpDocumentRetriever(client) { RequireHttps = !environment.IsLocal() };
                var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(options.Value.EffectiveMetadataAddress, retriever, cancellationToken);
                var keys = configuration.SigningKeys.ToList();
                _snapshot = new Snapshot(keys, time.GetUtcNow());
                LogFetched(logger, keys.Count);
                return keys;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogFetchFailed(logger, ex, options.Value.EffectiveMetadataAddress);
                if (current is not null)
                {
                    // Keep serving the keys we have; retry after the penalty window, not on every request.
                    _snapshot = current with { FetchedAt = time.GetUtcNow() - MaxAge + TimeSpan.FromSeconds(options.Value.JwksRefreshPenaltySeconds) };
                    return current.Keys;
                }

                throw new UpstreamUnavailableException("Cognito", "The user pool's signing keys could not be fetched.", ex);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private TimeSpan Age(Snapshot snapshot) => time.GetUtcNow() - snapshot.FetchedAt;

    private sealed record Snapshot(IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Count} signing keys from the user pool")]
    private static partial void LogFetched(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch the user pool's signing keys from {MetadataAddress}")]
    private static partial void LogFetchFailed(ILogger logger, Exception exception, string metadataAddress);
}
