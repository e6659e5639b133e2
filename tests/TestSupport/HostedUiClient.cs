using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CleanCognito.TestSupport;

/// <summary>The tokens the hosted UI's token endpoint returns.</summary>
public sealed record TokenSet(string AccessToken, string IdToken, string? RefreshToken, int ExpiresIn);

/// <summary>
/// Signs in through the stand-in's hosted UI over plain HTTP, without the web app: authorize URL with
/// PKCE S256, state and nonce → the sign-in form → its post → the redirect with <c>code</c> →
/// the token endpoint. Public clients send <c>client_id</c> in the body, confidential ones HTTP Basic.
/// </summary>
public sealed partial class HostedUiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _domain;
    private readonly string _clientId;
    private readonly string? _clientSecret;

    /// <param name="domain">The hosted UI's base URL (the stack's <c>Idp</c>).</param>
    /// <param name="redirectUri">Any <c>/signin-oidc</c> URL on a loopback host: nothing needs to listen there.</param>
    public HostedUiClient(string domain, string clientId, string? clientSecret = null, string redirectUri = "http://127.0.0.1:5080/signin-oidc")
    {
        _domain = domain.TrimEnd('/');
        _clientId = clientId;
        _clientSecret = clientSecret;
        RedirectUri = redirectUri;
        _http = NewHttpClient();
    }

    public string RedirectUri { get; }

    public static HostedUiClient For(LocalAwsStack stack, string clientId = LocalAwsStack.PublicClientId) =>
        new(stack.Idp, clientId, clientId == LocalAwsStack.ConfidentialClientId ? LocalAwsStack.ConfidentialClientSecret : null);

    /// <summary>The whole sign-in: form, code, token exchange.</summary>
    public async Task<TokenSet> SignInAsync(string username, string password, string scope = "openid email profile", CancellationToken cancellationToken = default)
    {
        var flow = AuthorizeRequest.Create(scope);
        var code = await GetCodeAsync(flow, username, password, cancellationToken);
        return await ExchangeCodeAsync(code, flow.CodeVerifier, cancellationToken);
    }

    /// <summary>Posts the sign-in form and returns the authorization code (checking <c>state</c>).</summary>
    public async Task<string> GetCodeAsync(AuthorizeRequest flow, string username, string password, CancellationToken cancellationToken = default)
    {
        using var post = await PostSignInFormAsync(_http, new Uri(AuthorizeUrl(flow)), username, password, cancellationToken);
        if (post.StatusCode != HttpStatusCode.Found || post.Headers.Location is not { } location)
        {
            var body = await post.Content.ReadAsStringAsync(cancellationToken);
            if (LoginError().Match(body) is { Success: true } error)
            {
                throw new SignInRefusedException(WebUtility.HtmlDecode(error.Groups[1].Value));
            }

            throw new InvalidOperationException($"The sign-in form post answered {(int)post.StatusCode} instead of a redirect with a code: {Excerpt(body)}");
        }

        var query = ParseQuery(location.Query);
        if (!query.TryGetValue("code", out var code))
        {
            throw new InvalidOperationException($"The redirect after sign-in has no code: {location}");
        }

        if (!query.TryGetValue("state", out var state) || state != flow.State)
        {
            throw new InvalidOperationException($"The redirect after sign-in carries state \"{state}\", not \"{flow.State}\".");
        }

        return code;
    }

    /// <summary>
    /// The two steps every sign-in takes at the hosted UI, whoever started it (this client or the app):
    /// GET its sign-in form at <paramref name="authorizeUrl"/>, then post it with the credentials.
    /// </summary>
    public static async Task<HttpResponseMessage> PostSignInFormAsync(HttpClient hostedUi, Uri authorizeUrl, string username, string password, CancellationToken cancellationToken = default)
    {
        using var page = await hostedUi.GetAsync(authorizeUrl, cancellationToken);
        var html = await page.Content.ReadAsStringAsync(cancellationToken);
        if (page.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {authorizeUrl} answered {(int)page.StatusCode}: {html}");
        }

        var form = SignInForm.Parse(html);
        var fields = new Dictionary<string, string>(form.HiddenFields) { ["username"] = username, ["password"] = password };
        using var content = new FormUrlEncodedContent(fields);
        return await hostedUi.PostAsync(new Uri(authorizeUrl, form.Action), content, cancellationToken);
    }

    /// <summary>An HTTP client for the hosted UI: keeps its session cookie, never follows redirects.</summary>
    public static HttpClient NewHttpClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { Timeout = TimeSpan.FromSeconds(15) };

    public string AuthorizeUrl(AuthorizeRequest flow) =>
        $"{_domain}/oauth2/authorize?response_type=code&client_id={Uri.EscapeDataString(_clientId)}" +
        $"&redirect_uri={Uri.EscapeDataString(RedirectUri)}&scope={Uri.EscapeDataString(flow.Scope)}" +
        $"&state={flow.State}&nonce={flow.Nonce}&code_challenge={flow.CodeChallenge}&code_challenge_method=S256";

    public Task<TokenSet> ExchangeCodeAsync(string code, string codeVerifier, CancellationToken cancellationToken = default) =>
        TokenAsync(
            new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = RedirectUri,
                ["code_verifier"] = codeVerifier,
            },
            cancellationToken);

    public Task<TokenSet> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default) =>
        TokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }, cancellationToken);

    /// <summary>Revokes a refresh token (and what was issued from it).</summary>
    public async Task RevokeAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        using var request = ClientRequest("/oauth2/revoke", new Dictionary<string, string> { ["token"] = refreshToken });
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Revocation answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<TokenSet> TokenAsync(Dictionary<string, string> fields, CancellationToken cancellationToken)
    {
        using var request = ClientRequest("/oauth2/token", fields);
        using var response = await _http.SendAsync(request, cancellationToken);
        var json = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new TokenEndpointException((int)response.StatusCode, json);
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new TokenSet(
            root.GetProperty("access_token").GetString()!,
            root.GetProperty("id_token").GetString()!,
            root.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null,
            root.TryGetProperty("expires_in", out var expires) ? expires.GetInt32() : 0);
    }

    private HttpRequestMessage ClientRequest(string path, Dictionary<string, string> fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{_domain}{path}"));
        if (_clientSecret is null)
        {
            fields["client_id"] = _clientId;
        }
        else
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(_clientId)}:{Uri.EscapeDataString(_clientSecret)}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        request.Content = new FormUrlEncodedContent(fields);
        return request;
    }

    private static Dictionary<string, string> ParseQuery(string query) =>
        query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty);

    /// <summary>The hosted UI's error on the form (Cognito's classic id <c>loginErrorMessage</c>).</summary>
    [GeneratedRegex("id=\"loginErrorMessage\"[^>]*>([^<]*)<", RegexOptions.IgnoreCase)]
    private static partial Regex LoginError();

    private static string Excerpt(string text) => text.Length > 500 ? text[..500] + "…" : text;

    /// <summary>The sign-in form of the hosted UI: where it posts and its hidden fields.</summary>
    public sealed partial record SignInForm(string Action, IReadOnlyDictionary<string, string> HiddenFields)
    {
        public static SignInForm Parse(string html)
        {
            var form = FormTag().Match(html);
            if (!form.Success)
            {
                throw new InvalidOperationException($"No sign-in form in the page: {Excerpt(html)}");
            }

            var action = WebUtility.HtmlDecode(Attribute(form.Value, "action") ?? string.Empty);
            var hidden = new Dictionary<string, string>();
            foreach (Match input in InputTag().Matches(html))
            {
                if (string.Equals(Attribute(input.Value, "type"), "hidden", StringComparison.OrdinalIgnoreCase)
                    && Attribute(input.Value, "name") is { } name)
                {
                    hidden[WebUtility.HtmlDecode(name)] = WebUtility.HtmlDecode(Attribute(input.Value, "value") ?? string.Empty);
                }
            }

            return new SignInForm(action, hidden);
        }

        private static string? Attribute(string tag, string name)
        {
            var match = Regex.Match(tag, $"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)')""", RegexOptions.IgnoreCase);
            return match.Success ? (match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value) : null;
        }

        [GeneratedRegex("<form\\b[^>]*>", RegexOptions.IgnoreCase)]
        private static partial Regex FormTag();

        [GeneratedRegex("<input\\b[^>]*>", RegexOptions.IgnoreCase)]
        private static partial Regex InputTag();
    }
}

/// <summary>One authorization request's secrets: the PKCE verifier, state and nonce.</summary>
public sealed record AuthorizeRequest(string Scope, string State, string Nonce, string CodeVerifier)
{
    public string CodeChallenge => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(CodeVerifier)));

    public static AuthorizeRequest Create(string scope = "openid email profile") =>
        new(scope, Random(16), Random(16), Random(32));

    private static string Random(int bytes) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>The hosted UI showed the form again with an error (for example a wrong password).</summary>
public sealed class SignInRefusedException(string formError)
    : Exception($"The hosted UI refused the sign-in: {formError}")
{
    public string FormError { get; } = formError;
}

/// <summary>The token endpoint refused a grant; <see cref="Body"/> holds the OAuth error.</summary>
public sealed class TokenEndpointException(int status, string body)
    : Exception($"The token endpoint answered {status}: {body}")
{
    public int Status { get; } = status;

    public string Body { get; } = body;
}
