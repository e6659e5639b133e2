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
