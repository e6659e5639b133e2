using System.Globalization;
using System.Security.Cryptography;
using CleanCognito.Infrastructure.Cognito;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace CleanCognito.Web.Authentication;

/// <summary>
/// The session's three cookies, in flask-cognito-lib's contract: <c>cognito_access_token</c> and
/// <c>cognito_id_token</c> hold the raw JWTs; <c>cognito_refresh_token</c> is encrypted with Data
/// Protection (a refresh token outlives the others and must never be readable on the wire or disk).
/// All are HttpOnly and Secure in every environment: browsers accept Secure cookies on
/// http://localhost and http://127.0.0.1.
/// A token too large for one cookie (an ID token with many groups) is split the way the framework's
/// cookie handler splits its own (<see cref="ChunkingCookieManager"/>: <c>name=chunks-N</c> plus
/// <c>nameC1</c>…<c>nameCN</c>): a browser silently drops a cookie over ~4 KB.
/// </summary>
internal sealed class TokenCookies(IDataProtectionProvider dataProtection, IOptions<CognitoOptions> options)
{
    public const string AccessToken = "cognito_access_token";
    public const string IdToken = "cognito_id_token";
    public const string RefreshToken = "cognito_refresh_token";

    /// <summary>Every instance sharing the key ring must use the same purpose to read each other's cookies.</summary>
    public const string RefreshTokenPurpose = "CleanCognito.RefreshToken";

    /// <summary>More chunks than any real token needs: <c>chunks-N</c> is request input and sizes an array.</summary>
    public const int MaxChunks = 8;

    private const string ChunksPrefix = "chunks-";

    private readonly IDataProtector _protector = dataProtection.CreateProtector(RefreshTokenPurpose);
    private readonly ChunkingCookieManager _chunks = new();

    /// <summary>Whether the request carries any of the session cookies or their chunks, readable or not.</summary>
    public static bool AnyPresent(HttpRequest request) =>
        NamesSent(request).Any(k => k.StartsWith(AccessToken, StringComparison.Ordinal)
            || k.StartsWith(IdToken, StringComparison.Ordinal)
            || k.StartsWith(RefreshToken, StringComparison.Ordinal));

    /// <summary>
    /// Cookie names as the browser sent them. <see cref="HttpRequest.Cookies"/> leaves out cookies with
    /// an empty value, which the browser still stores and sends: they must be cleared too.
    /// </summary>
    private static IEnumerable<string> NamesSent(HttpRequest request) =>
        request.Headers.Cookie
            .SelectMany(header => (header ?? string.Empty).Split(';'))
            .Select(pair => pair.Split('=', 2)[0].Trim())
            .Where(name => name.Length > 0)
            .Distinct(StringComparer.Ordinal);

    /// <summary>The cookies as sent; the refresh cookie is decrypted only when read (<see cref="RefreshTokenCookie"/>).</summary>
    public StoredTokens Read(HttpRequest request) =>
        new(ReadChunked(request, AccessToken), ReadChunked(request, IdToken), RefreshTokenCookie.Encrypted(ReadChunked(request, RefreshToken), Unprotect));

    /// <summary>Writes the tokens; a null <paramref name="refreshToken"/> leaves the refresh cookie as it is.</summary>
    public void Write(HttpResponse response, string accessToken, string idToken, string? refreshToken)
    {
        var o = options.Value;
        var context = response.HttpContext;
        Replace(context, AccessToken, accessToken, CookieOptions(o.CookieAgeSeconds));
        Replace(context, IdToken, idToken, CookieOptions(o.CookieAgeSeconds));
        if (refreshToken is not null)
        {
            Replace(context, RefreshToken, _protector.Protect(refreshToken), CookieOptions(o.RefreshCookieAgeSeconds));
        }
    }

    /// <summary>Deletes the three cookies and every chunk of them the browser sent (<c>nameC1</c>, <c>nameC2</c>, …).</summary>
    public void Clear(HttpResponse response)
    {
        var expired = CookieOptions(0);
        foreach (var name in new[] { AccessToken, IdToken, RefreshToken })
        {
            response.Cookies.Delete(name, expired);
            DeleteChunks(response.HttpContext, name, expired, keepCount: 0);
        }
    }

    /// <summary>Writes <paramref name="name"/> (chunked when large) and deletes chunks the new value no longer uses.</summary>
    private void Replace(HttpContext context, string name, string value, CookieOptions cookieOptions)
    {
        _chunks.AppendResponseCookie(context, name, value, cookieOptions);
        DeleteChunks(context, name, CookieOptions(0), keepCount: WrittenChunks(context.Response, name));
    }

    /// <summary>How many chunks the response just wrote for <paramref name="name"/> (0: one plain cookie).</summary>
    private static int WrittenChunks(HttpResponse response, string name)
    {
        var marker = $"{name}={ChunksPrefix}";
        var header = response.Headers.SetCookie.LastOrDefault(c => c is not null && c.StartsWith(marker, StringComparison.Ordinal));
        if (header is null)
        {
            return 0;
        }

        var digits = header.AsSpan(marker.Length);
        var end = digits.IndexOf(';');
        return int.TryParse(end < 0 ? digits : digits[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
    }

    private static void DeleteChunks(HttpContext context, string name, CookieOptions expired, int keepCount)
    {
        foreach (var cookie in NamesSent(context.Request))
        {
            if (cookie.Length > name.Length + 1
                && cookie.StartsWith(name + "C", StringComparison.Ordinal)
                && int.TryParse(cookie.AsSpan(name.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index > keepCount)
            {
                context.Response.Cookies.Delete(cookie, expired);
            }
        }
    }

    /// <summary>The cookie's value, its chunks joined; null when a chunk is missing or the count is implausible.</summary>
    private string? ReadChunked(HttpRequest request, string name)
    {
        var value = request.Cookies[name];
        if (value is null || !value.StartsWith(ChunksPrefix, StringComparison.Ordinal))
        {
            return value;
        }

        if (!int.TryParse(value.AsSpan(ChunksPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > MaxChunks)
        {
            return null;
        }

        var joined = _chunks.GetRequestCookie(request.HttpContext, name);
        return joined is null || joined.StartsWith(ChunksPrefix, StringComparison.Ordinal) ? null : joined;
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
internal sealed record StoredTokens(string? AccessToken, string? IdToken, RefreshTokenCookie Refresh)
{
    /// <summary>Nothing readable; decrypts the refresh cookie only when both tokens are missing.</summary>
    public bool IsEmpty => AccessToken is null && IdToken is null && Refresh.Value is null;

    public bool HasTokens => !string.IsNullOrEmpty(AccessToken) && !string.IsNullOrEmpty(IdToken);
}
