namespace CleanCognito.Application.Common.Interfaces;

/// <summary>
/// The signed-in user's Cognito tokens, already validated. Adapters use them to call AWS as the
/// user; handlers never need the raw values (and never read cookies).
/// </summary>
public interface ICurrentUserTokens
{
    /// <summary>The current, validated tokens. Throws <see cref="Exceptions.SignInRequiredException"/> when signed out.</summary>
    UserTokens GetTokens();

    /// <summary>
    /// Refreshes the tokens now (an upstream refused them although they looked valid). Returns the
    /// new tokens, or null when the session cannot be refreshed and the user must sign in.
    /// </summary>
    ValueTask<UserTokens?> RefreshAsync(CancellationToken cancellationToken);

    /// <summary>The session's refresh token (decrypted), for revocation at sign-out; null if there is none.</summary>
    string? GetRefreshToken();
}
