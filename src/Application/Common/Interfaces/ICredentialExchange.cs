namespace CleanCognito.Application.Common.Interfaces;

/// <summary>
/// Exchanges the user's ID token at the Cognito identity pool (GetId, GetCredentialsForIdentity).
/// Each call goes to the service; callers cache through <see cref="ICredentialCache"/>.
/// Throws <see cref="Exceptions.SignInRequiredException"/> when the pool refuses the token and
/// <see cref="Exceptions.UpstreamUnavailableException"/> for anything else that fails.
/// </summary>
public interface ICredentialExchange
{
    /// <summary>The user's IdentityId in the pool (stable per user: AWS returns the same one every time).</summary>
    Task<string> GetIdentityIdAsync(UserTokens tokens, CancellationToken cancellationToken);

    /// <summary>Fresh temporary credentials for <paramref name="identityId"/> (about an hour on AWS).</summary>
    Task<IdentityCredentials> GetCredentialsAsync(string identityId, UserTokens tokens, CancellationToken cancellationToken);
}
