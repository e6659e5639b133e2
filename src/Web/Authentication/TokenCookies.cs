using System.Security.Cryptography;
using CleanCognito.Infrastructure.Cognito;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace CleanCognito.Web.Authentication;

/// <summary>
/// The session's three cookies, in the origin's contract: <c>cognito_access_token</c> and
/// <c>cognito_id_token</c> hold the raw JWTs; <c>cognito_refresh_token</c> is encrypted with Data
/// Protection (a refresh token outlives the others and must never be readable on the wire or disk).
/// All are HttpOnly and Secure in every environment: browsers accept Secure cookies on
/// http://localhost and http://127.0.0.1.
/// </summary>
internal sealed class TokenCookies(IDataProtectionProvider dataProtection, IOptions<CognitoOptions> options)
{
    public const string AccessToken = "cognito_access_token";
    public const string IdToken = "cognito_id_token";
    public const string RefreshToken = "cognito_refresh_token";

    /// <summary>Every instance sharing the key ring must use the same purpose to read each other's cookies.</summary>
    public const string RefreshTokenPurpose = "CleanCognito.RefreshToken";

    private readonly IDataProtector _protector = dataProtection.CreateProtector(RefreshTokenPurpose);

    public StoredTokens Read(HttpRequest request)
    {
        var refresh = request.Cookies[RefreshToken];
        return new StoredTokens(request.Cookies[AccessToken], request.Cookies[IdToken], Unprotect(refresh));
    }

    /// <summary>Writes the tokens; a null <paramref name="refreshToken"/> leaves the refresh cookie as it is.</summary>
    public void Write(HttpResponse response, string accessToken, string idToken, string? refreshToken)
    {
        var o = options.Value;
        response.Cookies.Append(AccessToken, accessToken, CookieOptions(o.CookieAgeSeconds));
        response.Cookies.Append(IdToken, idToken, CookieOptions(o.CookieAgeSeconds));
        if (refreshToken is not null)
        {
            response.Cookies.Append(RefreshToken, _protector.Protect(refreshToken), CookieOptions(o.RefreshCookieAgeSeconds));
        }
    }

    public void Clear(HttpResponse response)
    {
        var expired = CookieOptions(0);
        foreach (var name in new[] { AccessToken, IdToken, RefreshToken })
        {
            response.Cookies.Delete(name, expired);
        }
    }

    private CookieOptions CookieOptions(int maxAgeSeconds)
    {
        var o = options.Value;
        return new CookieOptions
        {
            HttpOnly = true,
            Secure = true,
            SameSite = Enum.Parse<SameSiteMode>(o.CookieSameSite, ignoreCase: true),
            Path = "/",
            Domain = string.IsNullOrWhiteSpace(o.CookieDomain) ? null : o.CookieDomain,
            MaxAge = TimeSpan.FromSeconds(maxAgeSeconds),
            IsEssential = true,
        };
    }

    private string? Unprotect(string? protectedValue)
    {
        if (string.IsNullOrEmpty(protectedValue) || protectedValue.Length > 8192)
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(protectedValue);
        }
        catch (CryptographicException)
        {
            // Tampered, or encrypted with a key ring this instance does not share.
            return null;
        }
    }
}

/// <summary>What the cookies held; any part may be missing.</summary>
internal sealed record StoredTokens(string? AccessToken, string? IdToken, string? RefreshToken)
{
    public bool IsEmpty => AccessToken is null && IdToken is null && RefreshToken is null;

    public bool HasTokens => !string.IsNullOrEmpty(AccessToken) && !string.IsNullOrEmpty(IdToken);
}
