namespace CleanCognito.Application.Common.Interfaces;

/// <summary>Tokens from the token endpoint. <see cref="RefreshToken"/> is null on a refresh without rotation.</summary>
public sealed record SessionTokens(string AccessToken, string IdToken, string? RefreshToken, int ExpiresInSeconds)
{
    // Tokens are secrets: keep them out of any log line that prints this record.
    public override string ToString() => $"SessionTokens {{ ExpiresInSeconds = {ExpiresInSeconds} }}";
}
