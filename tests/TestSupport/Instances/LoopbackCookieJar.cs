using System.Globalization;

namespace CleanCognito.TestSupport.Instances;

/// <summary>
/// A browser's cookie jar for an app on <c>http://127.0.0.1</c>: it keeps and sends Secure cookies
/// too, as Chromium does on loopback (.NET's <c>CookieContainer</c> sends none over http, and the
/// balancer speaks http). Cookies are sent on every path; expired ones are dropped as a browser
/// drops them. Thread-safe, so concurrent requests can share one session.
/// </summary>
public sealed class LoopbackCookieJar : DelegatingHandler
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public LoopbackCookieJar()
        : base(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
    }

    /// <summary>The value of cookie <paramref name="name"/>, or null.</summary>
    public string? this[string name]
    {
        get
        {
            lock (_gate)
            {
                return _cookies.GetValueOrDefault(name);
            }
        }
    }

    /// <summary>The <c>Cookie</c> header this jar sends now (to replay it later, e.g. after sign-out).</summary>
    public string CookieHeader()
    {
        lock (_gate)
        {
            return string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}"));
        }
    }

    /// <summary>Replaces (or adds) a cookie, as a test that forges the browser's state does.</summary>
    public void Set(string name, string value)
    {
        lock (_gate)
        {
            _cookies[name] = value;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A request that carries its own Cookie header (a replay) is sent as it is.
        if (!request.Headers.Contains("Cookie") && CookieHeader() is { Length: > 0 } header)
        {
            request.Headers.Add("Cookie", header);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                Apply(setCookie);
            }
        }

        return response;
    }

    private void Apply(string setCookie)
    {
        var parts = setCookie.Split(';').Select(p => p.Trim()).ToArray();
        var pair = parts[0].Split('=', 2);
        if (pair.Length != 2 || pair[0].Length == 0)
        {
            return;
        }

        var expired = parts.Skip(1).Any(attribute =>
            (attribute.StartsWith("expires=", StringComparison.OrdinalIgnoreCase)
                && DateTimeOffset.TryParse(attribute["expires=".Length..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires)
                && expires <= DateTimeOffset.UtcNow)
            || (attribute.StartsWith("max-age=", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(attribute["max-age=".Length..], CultureInfo.InvariantCulture, out var maxAge) && maxAge <= 0));
        lock (_gate)
        {
            if (expired)
            {
                _cookies.Remove(pair[0]);
            }
            else
            {
                _cookies[pair[0]] = pair[1];
            }
        }
    }
}
