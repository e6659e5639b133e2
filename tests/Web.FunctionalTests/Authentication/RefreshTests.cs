using System.Net;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary>Transparent refresh with the stand-in's 5-second tokens (no leeway).</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class RefreshTests(LocalAwsStack stack)
{
    private static readonly Dictionary<string, string?> NoLeeway = new() { ["Cognito:ExpirationLeewaySeconds"] = "0" };

    [Fact]
    public async Task An_expired_session_is_refreshed_and_the_request_continues_with_new_cookies()
    {
        using var app = ShortLivedApp();
        using var client = app.CreateHttpsClient();
        var signIn = await SignInAndWaitForExpiryAsync(client);
        var refreshes = await LocalSignIn.StatAsync(stack, "token:refresh_token");

        using var response = await client.GetAsync(new Uri("/Account/Profile", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("id=\"profile-username\">alice<");
        var renewed = new AppSignInResult(response.Headers.GetValues("Set-Cookie").ToList(), string.Empty);
        renewed.Cookie("cognito_access_token").Should().NotBe(signIn.Cookie("cognito_access_token"));
        renewed.Cookie("cognito_id_token").Should().NotBe(signIn.Cookie("cognito_id_token"));
        (await LocalSignIn.StatAsync(stack, "token:refresh_token")).Should().Be(refreshes + 1);

        using var next = await client.GetAsync(new Uri("/Account/Profile", UriKind.Relative));
        next.StatusCode.Should().Be(HttpStatusCode.OK);
        next.Headers.Contains("Set-Cookie").Should().BeFalse("the renewed cookies are valid: no second refresh");
        (await LocalSignIn.StatAsync(stack, "token:refresh_token")).Should().Be(refreshes + 1);
    }

    [Fact]
    public async Task Twenty_concurrent_requests_with_an_expired_session_cause_exactly_one_refresh()
    {
        using var app = ShortLivedApp();
        var signIn = await SignInAndWaitForExpiryAsync(app);
        var refreshes = await LocalSignIn.StatAsync(stack, "token:refresh_token");
        using var client = app.CreateHttpsClient(keepCookies: false);
        var cookie = LocalSignIn.CookieHeader(signIn);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Profile");
            request.Headers.Add("Cookie", cookie);
            using var response = await client.SendAsync(request);
            return (response.StatusCode, SetsAccess: response.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith("cognito_access_token=ey", StringComparison.Ordinal)));
        }));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        responses.Should().OnlyContain(r => r.SetsAccess, "every request carried the expired cookies, so each gets the renewed ones");
        (await LocalSignIn.StatAsync(stack, "token:refresh_token")).Should().Be(refreshes + 1);
    }

    [Fact]
    public async Task A_refused_refresh_clears_the_cookies_and_sends_the_user_to_sign_in_with_the_return_url()
    {
        using var app = ShortLivedApp();
        var signIn = await SignInAndWaitForExpiryAsync(app);
        await LocalSignIn.ResetIdpAsync(stack);
        using var client = app.CreateHttpsClient(keepCookies: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Profile?tab=groups");
        request.Headers.Add("Cookie", LocalSignIn.CookieHeader(signIn));

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/Account/Login?returnUrl=%2FAccount%2FProfile%3Ftab%3Dgroups");
        var cleared = response.Headers.GetValues("Set-Cookie").Where(c => c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        cleared.Select(c => c.Split('=')[0]).Should().BeEquivalentTo(LocalSignIn.TokenCookieNames);
        (await LocalSignIn.StatAsync(stack, "token:refresh_token")).Should().Be(1, "the app asked once and was refused (the reset zeroed the counters)");
    }

    [Fact]
    public async Task A_user_pool_outage_during_refresh_answers_503_keeps_the_session_and_the_next_request_refreshes()
    {
        using var app = ShortLivedApp();
        var signIn = await SignInAndWaitForExpiryAsync(app);
        using var client = app.CreateHttpsClient(keepCookies: false);
        await LocalSignIn.FailNextAsync(stack, "/oauth2/token", 500, count: 5);

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Profile"))
        {
            request.Headers.Add("Cookie", LocalSignIn.CookieHeader(signIn));
            using var response = await client.SendAsync(request);

            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            response.Headers.Contains("Retry-After").Should().BeTrue();
            (await response.Content.ReadAsStringAsync()).Should().Contain("data-status=\"503\"", "the user gets the error page, not a bare status");
            response.Headers.TryGetValues("Set-Cookie", out var set);
            (set ?? []).Should().NotContain(c => c.StartsWith("cognito_", StringComparison.Ordinal), "an outage is no reason to end the session");
        }

        await LocalSignIn.DrainTokenFailuresAsync(stack);
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Profile"))
        {
            request.Headers.Add("Cookie", LocalSignIn.CookieHeader(signIn));
            using var response = await client.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.OK, "a failed refresh is not remembered");
        }
    }

    private CleanCognitoAppFactory ShortLivedApp() => LocalSignIn.App(stack, LocalAwsStack.ShortLivedClientId, NoLeeway);

    /// <summary>Signs alice in through a fresh browser-like client, then waits until her 5-second tokens have expired.</summary>
    private async Task<AppSignInResult> SignInAndWaitForExpiryAsync(CleanCognitoAppFactory app)
    {
        using var browser = app.CreateHttpsClient();
        return await SignInAndWaitForExpiryAsync(browser);
    }

    private async Task<AppSignInResult> SignInAndWaitForExpiryAsync(HttpClient browser)
    {
        var signIn = await AppSignIn.SignInAsync(browser, stack.Alice.Username, stack.Alice.Password, "/Account/Profile");
        await Expiry.WaitPastAsync(signIn.Cookie("cognito_access_token"));
        return signIn;
    }
}
