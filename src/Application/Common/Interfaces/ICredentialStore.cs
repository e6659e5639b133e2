using System.ComponentModel;

namespace CleanCognito.Application.Common.Interfaces;

/// <summary>
/// Where <see cref="ICredentialCache"/> keeps its entries: this process's memory, or with
/// <c>Redis:Configuration</c> a cache every instance shares (credentials encrypted at rest). The
/// cache decides what is fresh; the store only keeps and forgets.
/// </summary>
public interface ICredentialStore
{
    /// <summary>The IdentityId stored for a user's <c>sub</c>, or null.</summary>
    ValueTask<string?> GetIdentityIdAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Keeps a user's IdentityId (it never changes, so for long).</summary>
    ValueTask SetIdentityIdAsync(string userId, string identityId, CancellationToken cancellationToken);

    /// <summary>The credentials stored for an identity, or null.</summary>
    ValueTask<CachedCredentials?> GetCredentialsAsync(string identityId, CancellationToken cancellationToken);

    /// <summary>Keeps an identity's credentials until <see cref="CachedCredentials.RefreshAt"/>.</summary>
    ValueTask SetCredentialsAsync(CachedCredentials entry, CancellationToken cancellationToken);

    /// <summary>Forgets a user's IdentityId and the identity's credentials on every instance (sign-out).</summary>
    ValueTask RemoveAsync(string userId, string? identityId, CancellationToken cancellationToken);

    /// <summary>Raised on every instance after an identity was removed on any of them.</summary>
    event Action<string>? IdentityRemoved;
}

/// <summary>Credentials as cached: the set itself and when to replace it (see <see cref="Credentials.CredentialCachePolicy"/>).</summary>
/// <remarks>Immutable, so an in-memory cache may hand out the same instance to every reader.</remarks>
[ImmutableObject(true)]
public sealed record CachedCredentials(IdentityCredentials Credentials, DateTimeOffset RefreshAt)
{
    /// <summary>Fresh ones are used as they are; stale ones are fetched again (with the caller's own tokens).</summary>
    public bool IsFreshAt(DateTimeOffset now) => now < RefreshAt;

    /// <summary>
    /// Credentials to replace <paramref name="margin"/> before they expire. Credentials that live
    /// shorter than twice the margin (a test pool, a clock apart) would otherwise be fetched again
    /// on every request: those are replaced half-way instead.
    /// </summary>
    public static CachedCredentials For(IdentityCredentials credentials, DateTimeOffset now, TimeSpan margin)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var lifetime = credentials.Expiration - now;
        var effectiveMargin = lifetime < 2 * margin ? lifetime / 2 : margin;
        return new CachedCredentials(credentials, credentials.Expiration - effectiveMargin);
    }
}
