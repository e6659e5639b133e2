using System.Net;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary>
/// Cookies set by hand against the real cookie scheme: a genuine pair opens the profile; every
/// forgery, mix-up or expiry is sent to sign-in with the return URL, never served and never a crash.
/// </summary>
public sealed class BadTokenBatteryTests(StubIssuerApp app) : IClassFixture<StubIssuerApp>
{
    private const string SignIn = "/Account/Login?returnUrl=%2FAccount%2FProfile";

    private TestTokenIssuer Issuer => app.Issuer;

    public static TheoryData<string> BadCookies =>
    [
        "no cookie",
        "malformed",
        "three segments of garbage",
        "alg none",
        "alg none without kid",
        "HS256 with the public key",
        "unknown kid",
        "signed with another key",
        "wrong issuer",
        "wrong client_id",
        "wrong aud",
        "ID token in the access cookie",
        "access token in the ID cookie",
        "both swapped",
        "expired without refresh cookie",
        "nbf in the future",
        "iat in the future",
        "tampered payload",
        "16 KB cookie",
        "16 KB garbage cookie",
        "access and ID tokens of different users",
        "only the access cookie",
        "only the ID cookie",
        "refresh cookie not encrypted by us",
    ];

    [Fact]
    public async Task A_genuine_pair_of_cookies_opens_the_profile()
    {
        using var response = await GetProfile(Cookies(Issuer.AccessToken(), Issuer.IdToken()));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("alice").And.Contain("alice@example.com").And.Contain("editors");
    }

    [Theory]
    [MemberData(nameof(BadCookies))]
    public async Task A_bad_session_is_sent_to_sign_in(string attack)
    {
        using var response = await GetProfile(CookieFor(attack));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, attack);
        response.Headers.Location!.OriginalString.Should().Be(SignIn, attack);
    }

    [Theory]
    [InlineData("wrong issuer")]
    [InlineData("expired without refresh cookie")]
    public async Task Rejected_token_cookies_are_cleared(string attack)
    {
        using var response = await GetProfile(CookieFor(attack));

        var cleared = response.Headers.GetValues("Set-Cookie").Where(c => c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)).ToList();
        cleared.Should().Contain(c => c.StartsWith("cognito_access_token=", StringComparison.Ordinal))
            .And.Contain(c => c.StartsWith("cognito_id_token=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Garbage_kids_do_not_hammer_the_jwks_endpoint()
    {
        using (await GetProfile(Cookies(Issuer.AccessToken(), Issuer.IdToken())))
        {
        }

        var before = app.JwksFetches;
        for (var i = 0; i < 20; i++)
        {
            using var response = await GetProfile(CookieFor("unknown kid"));
            response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        (app.JwksFetches - before).Should().BeLessThanOrEqualTo(1);
    }

    private string? CookieFor(string attack)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var id = Issuer.IdToken();
        return attack switch
        {
            "no cookie" => null,
            "malformed" => Cookies("not-a-jwt", "neither-is-this"),
            "three segments of garbage" => Cookies("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln", "a.b.c"),
            "alg none" => Cookies(Issuer.AccessToken(signing: TokenSigning.None), Issuer.IdToken(signing: TokenSigning.None)),
            "alg none without kid" => Cookies(Issuer.AccessToken(header: h => h.Remove("kid"), signing: TokenSigning.None), Issuer.IdToken(header: h => h.Remove("kid"), signing: TokenSigning.None)),
            "HS256 with the public key" => Cookies(Issuer.AccessToken(signing: TokenSigning.Hs256WithPublicKey), Issuer.IdToken(signing: TokenSigning.Hs256WithPublicKey)),
            "unknown kid" => Cookies(Issuer.AccessToken(header: h => h["kid"] = "unknown", signing: TokenSigning.OtherKey), Issuer.IdToken(header: h => h["kid"] = "unknown", signing: TokenSigning.OtherKey)),
            "signed with another key" => Cookies(Issuer.AccessToken(signing: TokenSigning.OtherKey), id),
            "wrong issuer" => Cookies(Issuer.AccessToken(claims: c => c["iss"] = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"), Issuer.IdToken(claims: c => c["iss"] = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other")),
            "wrong client_id" => Cookies(Issuer.AccessToken(claims: c => c["client_id"] = "another-client"), id),
            "wrong aud" => Cookies(Issuer.AccessToken(), Issuer.IdToken(claims: c => c["aud"] = "another-client")),
            "ID token in the access cookie" => Cookies(id, id),
            "access token in the ID cookie" => Cookies(Issuer.AccessToken(), Issuer.AccessToken()),
            "both swapped" => Cookies(id, Issuer.AccessToken()),
            "expired without refresh cookie" => Cookies(
                Issuer.AccessToken(claims: c => { c["iat"] = now - 7200; c["exp"] = now - 3600; }),
                Issuer.IdToken(claims: c => { c["iat"] = now - 7200; c["exp"] = now - 3600; })),
            "nbf in the future" => Cookies(Issuer.AccessToken(claims: c => c["nbf"] = now + 600), Issuer.IdToken(claims: c => c["nbf"] = now + 600)),
            "iat in the future" => Cookies(Issuer.AccessToken(claims: c => c["iat"] = now + 600), id),
            "tampered payload" => Cookies(Tampered(Issuer.AccessToken(user: TestUser.Bob), Issuer.AccessToken()), Tampered(Issuer.IdToken(user: TestUser.Bob), id)),
            "16 KB cookie" => Cookies(Issuer.AccessToken(claims: c => c["padding"] = new string('x', 16 * 1024)), id),
            "16 KB garbage cookie" => Cookies(new string('A', 16 * 1024), new string('B', 16 * 1024)),
            "access and ID tokens of different users" => Cookies(Issuer.AccessToken(user: TestUser.Alice), Issuer.IdToken(user: TestUser.Bob)),
            "only the access cookie" => $"cognito_access_token={Issuer.AccessToken()}",
            "only the ID cookie" => $"cognito_id_token={id}",
            "refresh cookie not encrypted by us" => "cognito_refresh_token=plain-refresh-token",
            _ => throw new ArgumentOutOfRangeException(nameof(attack), attack, "no such case"),
        };
    }

    /// <summary>Bob's header and signature around another payload (alice's, with editors).</summary>
    private static string Tampered(string signed, string otherPayloadFrom)
    {
        var parts = signed.Split('.');
        return $"{parts[0]}.{otherPayloadFrom.Split('.')[1]}.{parts[2]}";
    }

    private static string Cookies(string access, string id) => $"cognito_access_token={access}; cognito_id_token={id}";

    private async Task<HttpResponseMessage> GetProfile(string? cookie)
    {
        using var client = app.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Profile");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await client.SendAsync(request);
    }
}
