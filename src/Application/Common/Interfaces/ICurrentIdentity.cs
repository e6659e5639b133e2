using CleanCognito.Domain.Files;

namespace CleanCognito.Application.Common.Interfaces;

/// <summary>
/// The signed-in user's identity pool identity, looked up once per request (scoped): handlers ask
/// it for the user's folder; the AWS client factory asks it for the credentials to sign with.
/// Either works first: both start from the current user's tokens, and the second reuses the first.
/// </summary>
public interface ICurrentIdentity
{
    /// <summary>The user's folder, <c>private/{IdentityId}/</c>. Throws <see cref="Exceptions.SignInRequiredException"/> when signed out.</summary>
    ValueTask<UserFolder> GetFolderAsync(CancellationToken cancellationToken);

    /// <summary>The user's current credentials (cached). Throws <see cref="Exceptions.SignInRequiredException"/> when signed out.</summary>
    ValueTask<IdentityCredentials> GetCredentialsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// An AWS service refused <paramref name="rejected"/> as unknown or expired (a stand-in restarted,
    /// keys revoked): drops the user's cached credentials on every instance (the sign-out path) and
    /// exchanges the tokens again. Once per request: a set this request already renewed is returned as it is.
    /// </summary>
    ValueTask<IdentityCredentials> RenewCredentialsAsync(IdentityCredentials rejected, CancellationToken cancellationToken);
}
