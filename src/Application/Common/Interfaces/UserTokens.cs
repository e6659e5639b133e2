namespace CleanCognito.Application.Common.Interfaces;

/// <summary>The raw JWTs, the issuer they were validated against and when they expire.</summary>
/// <param name="AccessToken">Sent to AppSync in <c>Authorization</c>, without a <c>Bearer</c> prefix.</param>
/// <param name="IdToken">Exchanged at the identity pool for AWS credentials.</param>
/// <param name="Issuer">The user pool's issuer URL, e.g. <c>https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC</c>.</param>
/// <param name="UserId">The token's <c>sub</c>: the key for anything cached per user.</param>
public sealed record UserTokens(
    string AccessToken,
    string IdToken,
    string Issuer,
    string UserId,
    DateTimeOffset AccessTokenExpiresAt,
    DateTimeOffset IdTokenExpiresAt)
{
    /// <summary>The access token's session marks (sign-out records them; default when unknown).</summary>
    public TokenMarks AccessMarks { get; init; }

    /// <summary>The ID token's session marks.</summary>
    public TokenMarks IdMarks { get; init; }

    // Tokens are secrets: keep them out of any log line that prints this record.
    public override string ToString() => $"UserTokens {{ UserId = {UserId}, Issuer = {Issuer} }}";
}
