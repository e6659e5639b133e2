using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using CleanCognito.TestSupport;

namespace CleanCognito.Benchmarks;

/// <summary>
/// A minimal browser for one app instance: signs in through the app (<c>/Account/Login</c> → the
/// stand-in's hosted UI form → <c>/signin-oidc</c>), loads pages and uploads files through <c>/Files</c>.
/// Cookies are kept by hand, per host and port: the app's are <c>Secure</c> (browsers accept that on
/// loopback http, <see cref="CookieContainer"/> would not send them), and the app and the hosted UI
/// share 127.0.0.1, where cookies would otherwise cross ports.
/// </summary>
public sealed partial class AppSession : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Dictionary<string, Dictionary<string, string>> _cookies = new(StringComparer.OrdinalIgnoreCase);
    private readonly Uri _app;

    public AppSession(Uri app) => _app = app;

    /// <summary>
    /// Every cookie the app set (the <c>cognito_*</c> session and, once a page with a form was loaded,
    /// the antiforgery cookie), as the one <c>Cookie</c> header a browser sends on each request.
    /// </summary>
    public string CookieHeader => string.Join("; ", Jar(_app).Select(c => $"{c.Key}={c.Value}"));

    /// <summary>One of the app's cookies (e.g. <c>cognito_access_token</c>).</summary>
    public string Cookie(string name) => Jar(_app)[name];

    /// <summary>Signs in through the hosted UI and lands on <paramref name="landing"/> (a local path).</summary>
    public async Task SignInAsync(string username, string password, string landing, CancellationToken cancellationToken)
    {
        using var login = await SendAsync(HttpMethod.Get, new Uri(_app, $"/Account/Login?returnUrl={Uri.EscapeDataString(landing)}"), null, cancellationToken);
        var (page, html) = await FollowAsync(login, cancellationToken);
        if (page.Authority != _app.Authority)
        {
            // The hosted UI's form: post it with the user's name and password.
            var form = HostedUiClient.SignInForm.Parse(html);
            var fields = new Dictionary<string, string>(form.HiddenFields) { ["username"] = username, ["password"] = password };
            using var post = await SendAsync(HttpMethod.Post, new Uri(page, form.Action), new FormUrlEncodedContent(fields), cancellationToken);
            (page, html) = await FollowAsync(post, cancellationToken);
        }

        if (page.PathAndQuery != landing || !Jar(_app).ContainsKey("cognito_id_token"))
        {
            throw new InvalidOperationException($"Sign-in of {username} ended at {page} without the app's session cookies: {Excerpt(html)}");
        }
    }

    /// <summary>GET of <paramref name="path"/> with the session's cookies: status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, new Uri(_app, path), null, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Uploads through the page's streaming handler (what upload.js does), with the page's antiforgery token.</summary>
    /// <returns>How long the upload's POST took, from sending to the app's answer (the page load for the token not included).</returns>
    public async Task<TimeSpan> UploadAsync(string name, byte[] content, CancellationToken cancellationToken)
    {
        using var page = await SendAsync(HttpMethod.Get, new Uri(_app, "/Files"), null, cancellationToken);
        var html = await page.Content.ReadAsStringAsync(cancellationToken);
        var token = AntiforgeryInput().Match(html) is { Success: true } input && ValueAttribute().Match(input.Value) is { Success: true } value
            ? WebUtility.HtmlDecode(value.Groups[1].Value)
            : throw new InvalidOperationException($"/Files ({(int)page.StatusCode}) has no antiforgery token: {Excerpt(html)}");

        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var url = new Uri(_app, $"/Files?handler=Stream&name={Uri.EscapeDataString(name)}&type=text%2Fplain&overwrite=true");
        var clock = Stopwatch.StartNew();
        using var response = await SendAsync(HttpMethod.Post, url, body, cancellationToken, ("RequestVerificationToken", token));
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        var elapsed = clock.Elapsed;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Uploading {name} answered {(int)response.StatusCode}: {Excerpt(answer)}");
        }

        return elapsed;
    }

    public void Dispose() => _http.Dispose();

    private async Task<(Uri Page, string Html)> FollowAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var current = response.RequestMessage!.RequestUri!;
        var hops = 0;
        HttpResponseMessage? owned = null;
        try
        {
            while (response.StatusCode is HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.Redirect or HttpStatusCode.TemporaryRedirect)
            {
                if (++hops > 10 || response.Headers.Location is not { } location)
                {
                    throw new InvalidOperationException($"Too many redirects, or one without Location, at {current}.");
                }

                current = new Uri(current, location);
                owned?.Dispose();
                owned = response = await SendAsync(HttpMethod.Get, current, null, cancellationToken);
            }

            var html = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {current} answered {(int)response.StatusCode}: {Excerpt(html)}");
            }

            return (current, html);
        }
        finally
        {
            owned?.Dispose();
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, HttpContent? content, CancellationToken cancellationToken, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        var jar = Jar(url);
        if (jar.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        var response = await _http.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                Absorb(jar, setCookie);
            }
        }

        return response;
    }

    private static void Absorb(Dictionary<string, string> jar, string setCookie)
    {
        var parts = setCookie.Split(';', StringSplitOptions.TrimEntries);
        var pair = parts[0].Split('=', 2);
        var name = pair[0];
        var value = pair.Length > 1 ? pair[1] : string.Empty;
        var deleted = value.Length == 0 || parts.Skip(1).Any(p =>
            p.StartsWith("max-age=0", StringComparison.OrdinalIgnoreCase)
            || p.StartsWith("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        if (deleted)
        {
            jar.Remove(name);
        }
        else
        {
            jar[name] = value;
        }
    }

    private Dictionary<string, string> Jar(Uri url)
    {
        if (!_cookies.TryGetValue(url.Authority, out var jar))
        {
            _cookies[url.Authority] = jar = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        return jar;
    }

    private static string Excerpt(string text) => text.Length > 400 ? text[..400] + "…" : text;

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex AntiforgeryInput();

    [GeneratedRegex("\\svalue=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ValueAttribute();
}
