using System.Collections.Concurrent;
using Amazon;
using Amazon.S3;
using CleanCognito.Application.Common.Interfaces;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.Storage;

/// <summary>
/// One S3 client per identity, kept as long as the credential cache keeps the identity.
/// Why per identity (not shared, not per request): see docs/decisions/0002-identity-pool-credentials-and-files.md (S3).
/// </summary>
internal sealed class S3ClientPool : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Entry>> _clients = new(StringComparer.Ordinal);
    private readonly ICredentialCache _cache;
    private readonly StorageOptions _storage;
    private readonly string _region;

    public S3ClientPool(ICredentialCache cache, IOptions<StorageOptions> storage, IOptions<CognitoIdentity.IdentityPoolOptions> identityPool)
    {
        _cache = cache;
        _storage = storage.Value;
        _region = string.IsNullOrWhiteSpace(_storage.Region) ? identityPool.Value.EffectiveRegion : _storage.Region;
        // Signed out (or swept): the credentials are gone, so is the client built on them.
        _cache.IdentityEvicted += Drop;
    }

    /// <summary>True when the endpoint is plain http (the local stand-in): presigned URLs must say so.</summary>
    public bool IsHttp => _storage.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>
    /// The identity's client, signing with <paramref name="credentials"/> or a set of the same
    /// identity that expires later. The caller fetched them just now, from its own user's tokens.
    /// </summary>
    public IAmazonS3 ClientFor(IdentityCredentials credentials)
    {
        var entry = _clients.GetOrAdd(credentials.IdentityId, id => new Lazy<Entry>(() => Create(id))).Value;
        entry.Credentials.Offer(credentials);
        return entry.Client;
    }

    public void Dispose()
    {
        _cache.IdentityEvicted -= Drop;
        foreach (var entry in _clients.Values.Where(e => e.IsValueCreated))
        {
            entry.Value.Client.Dispose();
        }
    }

    private Entry Create(string identityId)
    {
        var credentials = new IdentityPoolAwsCredentials(identityId);
        // Timeout bounds one HTTP attempt; S3FileStore bounds the whole call, retries included.
        var config = new AmazonS3Config { RegionEndpoint = RegionEndpoint.GetBySystemName(_region), Timeout = TimeSpan.FromSeconds(_storage.AttemptTimeoutSeconds) };
        if (!string.IsNullOrWhiteSpace(_storage.ServiceUrl))
        {
            config.ServiceURL = _storage.ServiceUrl;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = _region;
        }

        return new Entry(new AmazonS3Client(credentials, config), credentials);
    }

    private void Drop(string identityId)
    {
        // Not disposed: a request of the same user may still be using it; the GC takes it.
        _clients.TryRemove(identityId, out _);
    }

    private sealed record Entry(AmazonS3Client Client, IdentityPoolAwsCredentials Credentials);
}
