using System.Net;

namespace CleanCognito.TestSupport.Web;

/// <summary>What one sign-in through the app produced.</summary>
/// <param name="CallbackSetCookies">The <c>Set-Cookie</c> headers of the app's <c>/signin-oidc</c> answer.</param>
/// <param name="LandedOn">Where the callback sent the browser (its <c>Location</c>).</param>
public sealed record AppSignInResult(IReadOnlyList<string> CallbackSetCookies, string LandedOn)
{
    /// <summary>The callback URL the hosted UI sent the browser to, with its <c>code</c> and <c>state</c>.</summary>
    public Uri? Callback { get; init; }

    /// <summary>The value the callback set for cookie <paramref name="name"/>.</summary>
    public string Cookie(string name) =>
        CallbackSetCookies.Select(c => c.Split(';', 2)[0]).Where(c => c.StartsWith(name + "=", StringComparison.Ordinal))
            .Select(c => c[(name.Length + 1)..]).Single();
}

/// <summary>
/// Drives the app's real sign-in over HTTP, as a browser would: <c>/Account/Login</c> → the hosted
/// UI's authorize URL → its sign-in form, posted → the app's <c>/signin-oidc</c> callback with the code.
/// <paramref name="appClient"/> must keep cookies (the correlation and nonce cookies), not follow
/// redirects, and use an <c>https://localhost</c> base address so Secure cookies travel.
/// </summary>
public static class AppSignIn
{
    public static Task<AppSignInResult> SignInAsync(HttpClient appClient, string username, string password, string returnUrl, CancellationToken cancellationToken = default) =>
        SignInAsync(appClient, appClient, username, password, returnUrl, cancellationToken);

    /// <summary>The same sign-in started on <paramref name="startOn"/> and finished (the callback) on <paramref name="finishOn"/>: two instances behind one load balancer.</summary>
    public static async Task<AppSignInResult> SignInAsync(HttpClient startOn, HttpClient finishOn, string username, string password, string returnUrl, CancellationToken cancellationToken = default)
    {
        var authorizeUrl = await StartAsync(startOn, returnUrl, cancellationToken);
        using var idp = HostedUiClient.NewHttpClient();
        using var post = await HostedUiClient.PostSignInFormAsync(idp, authorizeUrl, username, password, cancellationToken);
        if (post.StatusCode != HttpStatusCode.Found || post.Headers.Location is not { } callback)
        {
            throw new InvalidOperationException($"The sign-in form post answered {(int)post.StatusCode}, not a redirect to the app: {await post.Content.ReadAsStringAsync(cancellationToken)}");
        }

        if (!string.Equals(callback.Host, finishOn.BaseAddress!.Host, StringComparison.OrdinalIgnoreCase) || callback.AbsolutePath != "/signin-oidc")
        {
            throw new InvalidOperationException($"The hosted UI redirected to {callback}, not to the app's /signin-oidc callback.");
        }

        using var response = await finishOn.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative), cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect && response.StatusCode != HttpStatusCode.Found)
        {
            throw new InvalidOperationException($"The app's callback answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        return new AppSignInResult(cookies, response.Headers.Location!.OriginalString) { Callback = callback };
    }

    /// <summary>GET <c>/Account/Login?returnUrl=…</c> and return the hosted UI authorize URL it redirects to.</summary>
    public static async Task<Uri> StartAsync(HttpClient appClient, string returnUrl, CancellationToken cancellationToken = default)
    {
        using var login = await appClient.GetAsync(new Uri($"/Account/Login?returnUrl={Uri.EscapeDataString(returnUrl)}", UriKind.Relative), cancellationToken);
        if (login.StatusCode != HttpStatusCode.Redirect && login.StatusCode != HttpStatusCode.Found
            || login.Headers.Location is not { IsAbsoluteUri: true } authorize
            || !authorize.AbsolutePath.EndsWith("/oauth2/authorize", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"/Account/Login answered {(int)login.StatusCode} {login.Headers.Location}, not a redirect to the hosted UI.");
        }

        return authorize;
    }
}
