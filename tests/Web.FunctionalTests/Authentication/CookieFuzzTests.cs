using System.Globalization;
using System.Net;
using System.Text;
using CleanCognito.TestSupport;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary>
/// Any cookie value means "not signed in": generated session cookies (JWS- and JWE-shaped, random
/// base64url, JSON and binary parts, huge and empty parts, chunk markers, duplicated names) go
/// through the real pipeline with the real cookie scheme. No request may fail, the session cookies
/// are cleared, pages send the user to sign in, a script's request gets 401, and public pages,
/// static files and health keep answering.
/// </summary>
public sealed class CookieFuzzTests(ITestOutputHelper output)
{
    /// <summary>Fixed so a failure can be replayed; CLEANCOGNITO_FUZZ_SEED overrides it.</summary>
    private const int DefaultSeed = 20261130;

    private const int Iterations = 10_000;

    private static readonly string[] CookieNames =
    [
        "cognito_access_token", "cognito_id_token", "cognito_refresh_token",
        "cognito_access_tokenC1", "cognito_id_tokenC1", "cognito_id_tokenC2", "cognito_refresh_tokenC1",
    ];

    private static readonly (string Path, Expect Expect)[] Targets =
    [
        ("/Account/Profile", Expect.SignIn),
        ("/Files", Expect.SignIn),
        ("/Objects", Expect.SignIn),
        ("/Files?handler=Stream&name=a.txt", Expect.Unauthorized),
        ("/", Expect.Ok),
        ("/Account/SignedOut", Expect.Ok),
        ("/css/site.css", Expect.Ok),
        ("/health/live", Expect.Ok),
    ];

    private enum Expect
    {
        SignIn,
        Unauthorized,
        Ok,
    }

    [Fact]
    public async Task Ten_thousand_generated_session_cookies_never_break_a_request()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CLEANCOGNITO_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        output.WriteLine($"cookie fuzz: {Iterations} cookie headers, seed {seed} (replay with CLEANCOGNITO_FUZZ_SEED={seed})");
        var random = new Random(seed);
        using var app = new StubIssuerApp();
        using var client = app.Client();
        var started = DateTime.UtcNow;

        for (var i = 0; i < Iterations; i++)
        {
            var cookie = CookieHeader(random, app.Issuer.KeyId);
            var (path, expect) = Targets[i % Targets.Length];
            using var request = new HttpRequestMessage(expect == Expect.Unauthorized ? HttpMethod.Post : HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Cookie", cookie).Should().BeTrue();
            if (expect == Expect.Unauthorized)
            {
                // What the upload script's XMLHttpRequest sends.
                request.Headers.TryAddWithoutValidation("Sec-Fetch-Mode", "cors");
                request.Content = new ByteArrayContent([1, 2, 3]);
            }

            using var response = await client.SendAsync(request);
            var because = $"iteration {i} (seed {seed}), {request.Method} {path}, Cookie: {Shorten(cookie)}";
            switch (expect)
            {
                case Expect.SignIn:
                    response.StatusCode.Should().Be(HttpStatusCode.Redirect, because);
                    response.Headers.Location!.OriginalString.Should().StartWith("/Account/Login?returnUrl=", because);
                    break;
                case Expect.Unauthorized:
                    response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, because);
                    break;
                default:
                    response.StatusCode.Should().Be(HttpStatusCode.OK, because);
                    break;
            }

            foreach (var name in SessionCookiesSent(cookie))
            {
                Cleared(response).Should().Contain(name, $"{name} must be cleared; {because}");
            }
        }

        var elapsed = DateTime.UtcNow - started;
        output.WriteLine($"cookie fuzz: {Iterations} requests in {elapsed.TotalSeconds:F1} s");
        var failures = app.Factory.Logs.Entries
            .Where(e => e.Level >= LogLevel.Error || e.Category.Contains("UnhandledExceptionHandler", StringComparison.Ordinal) || e.Exception is not null)
            .Select(e => $"[{e.Level} {e.Category}] {e.Message} {e.Exception?.GetType().Name}")
            .Distinct()
            .ToList();
        failures.Should().BeEmpty("no cookie value may raise an exception");
    }

    /// <summary>1–4 cookies: mostly session-cookie names (sometimes twice), values shaped like tokens or not.</summary>
    private static string CookieHeader(Random random, string kid)
    {
        var pairs = new List<string>();
        var count = random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            var name = random.Next(10) == 0 ? "other" + random.Next(3) : CookieNames[random.Next(CookieNames.Length)];
            pairs.Add($"{name}={Value(random, kid)}");
            if (random.Next(6) == 0)
            {
                pairs.Add($"{name}={Value(random, kid)}");
            }
        }

        return string.Join("; ", pairs);
    }

    private static string Value(Random random, string kid) => random.Next(12) switch
    {
        0 => string.Empty,
        1 => $"chunks-{(random.Next(2) == 0 ? random.Next(0, 12).ToString(CultureInfo.InvariantCulture) : random.Next().ToString(CultureInfo.InvariantCulture))}",
        2 => RandomText(random, random.Next(1, 200), "!#$%&'()*+-./:<=>?@[]^_`{|}~abcXYZ019"),
        _ => string.Join('.', Enumerable.Range(0, random.Next(1, 7)).Select(i => Part(random, i, kid))),
    };

    /// <summary>One dot-separated part: a JOSE-like header first, then JSON, base64url, binary, huge or empty.</summary>
    private static string Part(Random random, int index, string kid) => random.Next(8) switch
    {
        0 => string.Empty,
        1 => Base64Url(Encoding.UTF8.GetBytes(Header(random, kid))),
        2 => Base64Url(Encoding.UTF8.GetBytes(Json(random))),
        3 => Base64Url(Bytes(random, random.Next(0, 300))),
        4 => RandomText(random, random.Next(2000, 12000), "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        5 => RandomText(random, random.Next(1, 80), "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/="),
        _ => index == 0 ? Base64Url(Encoding.UTF8.GetBytes(Header(random, kid))) : Base64Url(Encoding.UTF8.GetBytes(Json(random))),
    };

    /// <summary>JOSE headers, some naming the pool's real (public) key id so validation goes past the key lookup.</summary>
    private static string Header(Random random, string kid)
    {
        string[] headers =
        [
            "{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}",
            "{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\",\"kid\":\"" + kid + "\"}",
            "{\"alg\":\"dir\",\"enc\":\"A128CBC-HS256\",\"kid\":\"" + kid + "\"}",
            "{\"alg\":\"none\",\"kid\":\"" + kid + "\"}",
            "{\"alg\":\"HS256\",\"kid\":\"" + kid + "\"}",
            "{\"alg\":\"RS256\",\"kid\":\"" + random.Next() + "\"}",
            "{\"alg\":\"none\"}",
            "{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\",\"kid\":\"x\"}",
            "{\"alg\":\"dir\",\"enc\":\"A128CBC-HS256\",\"zip\":\"DEF\"}",
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
            "{\"alg\":\"RS256\",\"crit\":[\"b64\"],\"b64\":false}",
            "{\"alg\":\"RS256\",\"kid\":[1,2],\"x5u\":\"http://127.0.0.1:1/\"}",
            "{\"alg\":\"RS256\",\"jku\":\"http://127.0.0.1:1/jwks\",\"kid\":\"k\"}",
            "{\"alg\":" + random.Next() + "}",
            "[]",
            "{",
        ];
        return headers[random.Next(headers.Length)];
    }

    private static string Json(Random random)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string[] payloads =
        [
            "{\"sub\":\"x\",\"token_use\":\"access\",\"exp\":" + (now + 3600) + "}",
            "{\"token_use\":\"id\",\"aud\":[\"cleancognito-local\",\"x\"],\"exp\":\"" + now + "\"}",
            "{\"exp\":1e308,\"iat\":-1,\"nbf\":99999999999999999999}",
            "{\"cognito:groups\":[" + string.Join(',', Enumerable.Repeat("\"g\"", random.Next(0, 500))) + "]}",
            "{\"a\":" + new string('[', random.Next(1, 200)) + "}",
            "{\"sub\":\"x\",\"sub\":\"y\"}",
            "null",
            "\"string\"",
            "{\"iss\":\"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_CcTest001\",\"exp\":" + now + "}",
        ];
        return payloads[random.Next(payloads.Length)];
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomText(Random random, int length, string alphabet) =>
        string.Create(length, (random, alphabet), (span, state) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = state.alphabet[state.random.Next(state.alphabet.Length)];
            }
        });

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The session cookie names the header carries (every one must be cleared).</summary>
    private static IEnumerable<string> SessionCookiesSent(string header) =>
        header.Split(';', StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2)[0])
            .Where(name => name.StartsWith("cognito_", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal);

    /// <summary>Names of the cookies the response deletes (an expiry in the past).</summary>
    private static HashSet<string> Cleared(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Where(v => v.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)).Select(v => v.Split('=', 2)[0]).ToHashSet(StringComparer.Ordinal)
            : [];

    /// <summary>Each cookie as name=start…(length), so a failure message shows the structure.</summary>
    private static string Shorten(string header) =>
        string.Join("; ", header.Split("; ").Select(pair => pair.Length <= 80 ? pair : $"{pair[..80]}…({pair.Length})"));
}
