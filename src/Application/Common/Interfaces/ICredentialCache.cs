namespace CleanCognito.Application.Common.Interfaces;

/// <summary>
/// The identity pool results worth keeping: the IdentityId per user (it never changes) and the
/// credentials per identity until shortly before they expire. One exchange at a time per user or
/// identity, however many requests ask at once, on however many instances share the store.
/// Everything is fetched from the tokens passed in, so no call depends on an earlier one.
/// </summary>
public interface ICredentialCache
{
    /// <summary>The IdentityId of the user of <paramref name="tokens"/> (one GetId per user, then cached).</summary>
    ValueTask<string> GetIdentityIdAsync(UserTokens tokens, CancellationToken cancellationToken);

    /// <summary>Credentials for the user of <paramref name="tokens"/>, from the cache when still fresh.</summary>
    ValueTask<IdentityCredentials> GetAsync(UserTokens tokens, CancellationToken cancellationToken);

    /// <summary>
    /// Credentials for <paramref name="identityId"/>, which the caller got from <see cref="GetIdentityIdAsync"/>
    /// for the same <paramref name="tokens"/>: a request that knows its identity does not look it up again.
    /// </summary>
    ValueTask<IdentityCredentials> GetAsync(UserTokens tokens, string identityId, CancellationToken cancellationToken);

    /// <summary>Forgets everything about the user (sign-out), on every instance sharing the store.</summary>
    Task EvictAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Raised after an identity's credentials were dropped (here, or by a sign-out on another
    /// instance), so holders of clients can drop theirs.
    /// </summary>
    event Action<string>? IdentityEvicted;
}
