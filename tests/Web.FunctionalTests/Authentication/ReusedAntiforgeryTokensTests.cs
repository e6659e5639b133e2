using System.Net;
using System.Text.RegularExpressions;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary>
/// A signed-in user's pages hand out the request token the framework issued for their antiforgery
/// cookie again (src/Web/Antiforgery/ReusedAntiforgeryTokens.cs). It must be what the framework would
/// accept, only for that cookie and that user, and the framework's check of a POST is unchanged.
/// Each request carries its cookies explicitly, as a browser would, so the test controls which
/// antiforgery cookie goes with which session.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed partial class ReusedAntiforgeryTokensTests(LocalAwsStack stack)
{
    [Fact]
    public async Task The_same_cookie_and_user_get_the_same_token_again_and_a_post_with_it_is_accepted()
    {
        using var app = LocalSignIn.App(stack);
        var alice = await SessionOfAsync(app, stack.Alice);
        var (cookie, _) = await FirstVisitAsync(app, alice);

        var (issued, _) = await TokenAsync(app, $"{alice}; {cookie}");
        var (again, response) = await TokenAsync(app, $"{alice}; {cookie}");

        again.Should().Be(issued, "the token issued for this cookie and this user is handed out again");
        response.Headers.TryGetValues("Set-Cookie", out var set);
        (set ?? []).Should().NotContain(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal), "the browser's cookie is kept");
        response.Headers.CacheControl!.NoStore.Should().BeTrue("a page with a token is never cached, reused or not");
        using var logout = await PostLogoutAsync(app, $"{alice}; {cookie}", again);
        logout.StatusCode.Should().Be(HttpStatusCode.Redirect, "the framework accepts the reused token as its own");
    }

    [Fact]
    public async Task A_token_kept_for_one_user_is_neither_given_to_nor_accepted_from_another_with_the_same_cookie()
    {
        using var app = LocalSignIn.App(stack);
        var alice = await SessionOfAsync(app, stack.Alice);
        var bob = await SessionOfAsync(app, stack.Bob);
        var (cookie, _) = await FirstVisitAsync(app, alice);
        var (alicesToken, _) = await TokenAsync(app, $"{alice}; {cookie}");
        (await TokenAsync(app, $"{alice}; {cookie}")).Token.Should().Be(alicesToken, "alice's token is kept");

        var (bobsToken, _) = await TokenAsync(app, $"{bob}; {cookie}");

        bobsToken.Should().NotBe(alicesToken, "the token is bound to the user, and so is what is kept");
        using (var refused = await PostLogoutAsync(app, $"{bob}; {cookie}", alicesToken))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest, "the framework still checks the token against the signed-in user");
        }

        using var accepted = await PostLogoutAsync(app, $"{bob}; {cookie}", bobsToken);
        accepted.StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_new_or_forged_cookie_gets_a_token_of_its_own_never_the_kept_one()
    {
        using var app = LocalSignIn.App(stack);
        var alice = await SessionOfAsync(app, stack.Alice);
        var (cookie, _) = await FirstVisitAsync(app, alice);
        var (kept, _) = await TokenAsync(app, $"{alice}; {cookie}");
        (await TokenAsync(app, $"{alice}; {cookie}")).Token.Should().Be(kept);

        var (otherCookie, otherToken) = await FirstVisitAsync(app, alice);
        var forged = cookie[..(cookie.IndexOf('=', StringComparison.Ordinal) + 1)] + "forged";
        var (forgedCookieToken, forgedResponse) = await TokenAsync(app, $"{alice}; {forged}");

        otherCookie.Should().NotBe(cookie);
        otherToken.Should().NotBe(kept, "a browser without the cookie gets a new cookie and a new token");
        forgedCookieToken.Should().NotBe(kept, "an unreadable cookie is replaced, never matched to a kept token");
        forgedResponse.Headers.GetValues("Set-Cookie").Should().Contain(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        using var refused = await PostLogoutAsync(app, $"{alice}; {otherCookie}", kept);
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest, "the kept token belongs to the first cookie only");
    }

    [Fact]
    public async Task A_refused_post_forgets_the_kept_token_so_the_next_page_asks_the_framework_again()
    {
        using var app = LocalSignIn.App(stack);
        var alice = await SessionOfAsync(app, stack.Alice);
        var (cookie, _) = await FirstVisitAsync(app, alice);
        var (kept, _) = await TokenAsync(app, $"{alice}; {cookie}");
        (await TokenAsync(app, $"{alice}; {cookie}")).Token.Should().Be(kept);

        using (var refused = await PostLogoutAsync(app, $"{alice}; {cookie}", "not-a-token"))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }

        var (afterRefusal, _) = await TokenAsync(app, $"{alice}; {cookie}");

        afterRefusal.Should().NotBe(kept, "the framework made a new token (each is encrypted afresh), so nothing was served from the cache");
        (await TokenAsync(app, $"{alice}; {cookie}")).Token.Should().Be(afterRefusal, "and that one is kept again");
        using var accepted = await PostLogoutAsync(app, $"{alice}; {cookie}", afterRefusal);
        accepted.StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    /// <summary>alice's (or bob's) token cookies, as a <c>Cookie</c> header.</summary>
    private static async Task<string> SessionOfAsync(CleanCognitoAppFactory app, LocalUser user)
    {
        using var client = app.CreateHttpsClient();
        return LocalSignIn.CookieHeader(await AppSignIn.SignInAsync(client, user.Username, user.Password, "/Account/Profile"));
    }

    /// <summary>A page without an antiforgery cookie: the framework issues one (returned as <c>name=value</c>) and a token for it.</summary>
    private static async Task<(string Cookie, string Token)> FirstVisitAsync(CleanCognitoAppFactory app, string session)
    {
        var (token, response) = await TokenAsync(app, session);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        return (cookie[..cookie.IndexOf(';', StringComparison.Ordinal)], token);
    }

    /// <summary>GET the sign-out page with exactly <paramref name="cookieHeader"/>; its form's token.</summary>
    private static async Task<(string Token, HttpResponseMessage Response)> TokenAsync(CleanCognitoAppFactory app, string cookieHeader)
    {
        var response = await LocalSignIn.ReplayAsync(app, cookieHeader, "/Account/Logout");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var token = AntiforgeryField().Match(await response.Content.ReadAsStringAsync());
        token.Success.Should().BeTrue("the sign-out page has a form with an antiforgery token");
        return (token.Groups[1].Value, response);
    }

    private static async Task<HttpResponseMessage> PostLogoutAsync(CleanCognitoAppFactory app, string cookieHeader, string token)
    {
        using var bare = app.CreateHttpsClient(keepCookies: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Account/Logout")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add("Cookie", cookieHeader);
        return await bare.SendAsync(request);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
