using System.Security.Claims;

namespace CleanCognito.Infrastructure.Cognito;

/// <summary>The verdict on one token. <see cref="Reason"/> is for logs and never contains the token.</summary>
public sealed record TokenCheck(TokenStatus Status, ClaimsIdentity? Identity, DateTimeOffset ExpiresAt, string? Reason)
{
    public static TokenCheck Invalid(string reason) => new(TokenStatus.Invalid, null, default, reason);
}
