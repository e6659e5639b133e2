using Amazon.Runtime;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Infrastructure.Storage;

/// <summary>
/// The AWS SDK's view of one identity's credentials: whenever the SDK finds them near expiry (also
/// in the middle of a long upload) it asks the shared <see cref="ICredentialCache"/>, which
/// exchanges again only if its own copy is stale too. So the S3 client can outlive any one set of
/// credentials and be reused.
/// </summary>
internal sealed class CacheBackedAwsCredentials : RefreshingAWSCredentials
{
    private readonly string _identityId;
    private readonly ICredentialCache _cache;

    public CacheBackedAwsCredentials(string identityId, ICredentialCache cache, TimeSpan cacheRefreshMargin)
    {
        _identityId = identityId;
        _cache = cache;
        // Ask a little later than the cache refreshes, so the cache already holds the new set
        // when the SDK asks (asking at the same instant could return the old set again).
        PreemptExpiryTime = cacheRefreshMargin / 2;
    }

    protected override CredentialsRefreshState GenerateNewCredentials() =>
        GenerateNewCredentialsAsync().GetAwaiter().GetResult();

    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
    {
        var credentials = await _cache.GetForIdentityAsync(_identityId, CancellationToken.None);
        return new CredentialsRefreshState(
            new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretKey, credentials.SessionToken),
            credentials.Expiration.UtcDateTime);
    }
}
