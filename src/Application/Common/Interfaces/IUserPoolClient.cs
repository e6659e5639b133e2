namespace CleanCognito.Application.Common.Interfaces;

/// <summary>The user pool's token endpoint: redeem a sign-in code, refresh a session, revoke it.</summary>
public interface IUserPoolClient
{
    /// <summary>Exchanges an authorization code (with its PKCE verifier) for tokens.</summary>
    Task<SessionTokens> RedeemCodeAsync(string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken);

    /// <summary>New access and ID tokens for a refresh token; null when the pool no longer accepts it.</summary>
    Task<SessionTokens?> RefreshAsync(string refreshToken, CancellationToken cancellationToken);

    /// <summary>Revokes a refresh token and the tokens issued from it.</summary>
    Task RevokeAsync(string refreshToken, CancellationToken cancellationToken);
}
