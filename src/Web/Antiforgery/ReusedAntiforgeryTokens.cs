using System.Text.Encodings.Web;
using CleanCognito.Application.Common.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CleanCognito.Web.Antiforgery;

/// <summary>
/// The framework's antiforgery, with the request token it issued for a signed-in user's antiforgery
/// cookie handed out again on that user's later pages instead of being made anew.
/// </summary>
/// <remarks>
/// Every page carries a form (sign-out in the layout), so every page made a request token: one Data
/// Protection decryption of the cookie and one encryption of the token, a measurable share of a page's
/// CPU (docs/BENCHMARKS.md). The framework's token is a function of the cookie token and the user (the
/// <c>sub</c> claim and its issuer: its claim uid), so the one issued for the same cookie and the same
/// user validates exactly as a fresh one would. Kept by a SHA-256 of cookie, <c>sub</c> and issuer,
/// never the cookie itself; only for signed-in users whose cookie the framework accepted (no new
/// cookie issued); bounded in number and idle time. Validation of a POST is the framework's, unchanged.
/// A POST the framework refuses forgets the kept token, so the next page asks the framework again
/// (a cookie made unreadable by a revoked Data Protection key is then replaced, as without reuse).
/// (An <see cref="IAntiforgeryAdditionalDataProvider"/> would make the token depend on the request too;
/// the app registers none.)
/// </remarks>
internal sealed class ReusedAntiforgeryTokens(IAntiforgery framework, IOptions<AntiforgeryOptions> options) : IAntiforgery, IDisposable
{
    /// <summary>Signed-in users' cookies kept at most; each entry is one token string (~200 bytes).</summary>
    public const int Capacity = 10_000;

    private static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(20);

    private static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(2);

    private readonly MemoryCache _issued = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public AntiforgeryTokenSet GetAndStoreTokens(HttpContext httpContext)
    {
        if (httpContext.Features.Get<IssuedThisRequest>() is { } issued)
        {
            return issued.Tokens;
        }

        var key = KeyFor(httpContext);
        AntiforgeryTokenSet tokens;
        if (key is not null && _issued.TryGetValue(key, out string? requestToken))
        {
            tokens = new AntiforgeryTokenSet(requestToken, null, options.Value.FormFieldName, options.Value.HeaderName);
            if (!httpContext.Response.HasStarted)
            {
                // What the framework does for every response that carries a token: never cache it.
                httpContext.Response.Headers.CacheControl = "no-cache, no-store";
                httpContext.Response.Headers.Pragma = "no-cache";
            }
        }
        else
        {
            tokens = framework.GetAndStoreTokens(httpContext);
            // A null CookieToken: the request's cookie was valid and kept, so the token is bound to it.
            if (key is not null && tokens.CookieToken is null && tokens.RequestToken is not null)
            {
                _issued.Set(key, tokens.RequestToken, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = IdleLifetime, AbsoluteExpirationRelativeToNow = MaxLifetime });
            }
        }

        httpContext.Features.Set(new IssuedThisRequest(tokens));
        return tokens;
    }

    public IHtmlContent GetHtml(HttpContext httpContext)
    {
        var tokens = GetAndStoreTokens(httpContext);
        var encoder = HtmlEncoder.Default;
        return new HtmlString($"<input name=\"{encoder.Encode(tokens.FormFieldName)}\" type=\"hidden\" value=\"{encoder.Encode(tokens.RequestToken ?? string.Empty)}\" />");
    }

    public AntiforgeryTokenSet GetTokens(HttpContext httpContext) => framework.GetTokens(httpContext);

    public async Task<bool> IsRequestValidAsync(HttpContext httpContext)
    {
        var valid = await framework.IsRequestValidAsync(httpContext);
        if (!valid)
        {
            Forget(httpContext);
        }

        return valid;
    }

    public async Task ValidateRequestAsync(HttpContext httpContext)
    {
        try
        {
            await framework.ValidateRequestAsync(httpContext);
        }
        catch (AntiforgeryValidationException)
        {
            Forget(httpContext);
            throw;
        }
    }

    public void SetCookieTokenAndHeader(HttpContext httpContext) => framework.SetCookieTokenAndHeader(httpContext);

    public void Dispose() => _issued.Dispose();

    private void Forget(HttpContext httpContext)
    {
        if (KeyFor(httpContext) is { } key)
        {
            _issued.Remove(key);
        }
    }

    /// <summary>The <see cref="SecretKey"/> of the cookie and the user's claim uid inputs; null for anonymous users or without a cookie.</summary>
    private string? KeyFor(HttpContext httpContext)
    {
        // The framework's claim uid: the first signed-in identity's "sub" (compared ordinally), with its issuer.
        var identity = httpContext.User.Identities.FirstOrDefault(i => i.IsAuthenticated);
        var sub = identity?.FindFirst(claim => string.Equals(claim.Type, "sub", StringComparison.Ordinal));
        if (sub is null || string.IsNullOrEmpty(sub.Value)
            || options.Value.Cookie.Name is not { } cookieName
            || httpContext.Request.Cookies[cookieName] is not { Length: > 0 } cookie)
        {
            return null;
        }

        return SecretKey.Of("antiforgery-reuse", $"{cookie}\n{sub.Value}\n{sub.Issuer}");
    }

    /// <summary>The tokens this request already got (a page has several forms).</summary>
    private sealed record IssuedThisRequest(AntiforgeryTokenSet Tokens);
}

internal static class ReusedAntiforgeryTokensRegistration
{
    /// <summary>Wraps the framework's <see cref="IAntiforgery"/> (registered by AddRazorPages) in <see cref="ReusedAntiforgeryTokens"/>.</summary>
    public static IServiceCollection ReuseAntiforgeryTokens(this IServiceCollection services)
    {
        var framework = services.Last(d => d.ServiceType == typeof(IAntiforgery));
        var implementation = framework.ImplementationType
            ?? throw new InvalidOperationException("The framework's IAntiforgery is expected as a type registration.");
        services.Remove(framework);
        services.AddSingleton<IAntiforgery>(sp => new ReusedAntiforgeryTokens(
            (IAntiforgery)ActivatorUtilities.CreateInstance(sp, implementation),
            sp.GetRequiredService<IOptions<AntiforgeryOptions>>()));
        return services;
    }
}
