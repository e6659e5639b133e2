namespace CleanCognito.Application.Common.Interfaces;

/// <summary>
/// The identity pool results worth keeping: the IdentityId per user (it never changes) and the
/// credentials per identity until shortly before they expire. One exchange at a time per user or
/// identity, however many requests ask at once.
/// </summary>
public interface ICredentialCache
{
    /// <summary>Credentials for the user of <paramref name="tokens"/>, from the cache when still fresh.</summary>
    ValueTask<IdentityCredentials> GetAsync(UserTokens tokens, CancellationToken cancellationToken);

    /// <summary>
    /// Credentials for an identity seen before, refreshed with the tokens its user last presented.
    /// For clients that outlive a request (the S3 client of a long upload). Throws
    /// <see cref="Exceptions.SignInRequiredException"/> for an identity the cache does not know.
    /// </summary>
    ValueTask<IdentityCredentials> GetForIdentityAsync(string identityId, CancellationToken cancellationToken);

    /// <summary>Forgets everything about the user (sign-out).</summary>
    void Evict(string userId);

    /// <summary>Raised after an identity's credentials were dropped, so holders of clients can drop theirs.</summary>
    event Action<string>? IdentityEvicted;
}

/// <summary>The signed-in user's identity pool identity, for handlers (which never see tokens).</summary>
public interface ICurrentIdentity
{
    /// <summary>The current user's IdentityId and credentials (cached). Throws <see cref="Exceptions.SignInRequiredException"/> when signed out.</summary>
    ValueTask<IdentityCredentials> GetAsync(CancellationToken cancellationToken);
}
