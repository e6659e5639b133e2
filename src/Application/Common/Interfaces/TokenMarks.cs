namespace CleanCognito.Application.Common.Interfaces;

/// <summary>
/// What ties a Cognito token to its session: <c>origin_jti</c> (the same in every access and ID token
/// refreshed from one sign-in), the token's own <c>jti</c>, and its lifetime. Not secret: knowing
/// them grants nothing.
/// </summary>
public readonly record struct TokenMarks(string? OriginJti, string? Jti, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>The session's id: <c>origin_jti</c>, or the token's own <c>jti</c> for a token without one.</summary>
    public string? SessionId => !string.IsNullOrEmpty(OriginJti) ? OriginJti : string.IsNullOrEmpty(Jti) ? null : Jti;
}
