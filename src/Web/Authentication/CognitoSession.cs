using System.Security.Claims;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Web.Authentication;

/// <summary>The validated session of the current request, kept as a request feature.</summary>
internal sealed record CognitoSession(ClaimsPrincipal Principal, UserTokens Tokens, RefreshTokenCookie? Refresh)
{
    /// <summary>The refresh token (decrypted now, if it came in the cookie), or null.</summary>
    public string? RefreshToken => Refresh?.Value;
}
