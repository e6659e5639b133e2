using System.Net;
using System.Text.RegularExpressions;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary>Sign-out: POST with antiforgery, revoke, clear the cookies, then Cognito's /logout.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class LogoutTests(LocalAwsStack stack)
{
    [Fact]
    public async Task A_logout_post_without_antiforgery_is_refused_and_changes_nothing()
    {
        using var app = LocalSignIn.App(stack);
        using var client = app.CreateHttpsClient();
        await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/");
        var revokes = await LocalSignIn.StatAsync(stack, "revoke");

        using var content = new FormUrlEncodedContent([]);
        using var response = await client.PostAsync(new Uri("/Account/Logout", UriKind.Relative), content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Headers.TryGetValues("Set-Cookie", out var set);
        (set ?? []).Should().NotContain(c => c.StartsWith("cognito_", StringComparison.Ordinal), "a refused sign-out touches no session cookie");
        (await LocalSignIn.StatAsync(stack, "revoke")).Should().Be(revokes);
        using var profile = await client.GetAsync(new Uri("/Account/Profile", UriKind.Relative));
        profile.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_nav_sign_out_form_carries_an_antiforgery_token()
    {
        using var app = LocalSignIn.App(stack);
        using var client = app.CreateHttpsClient();
        await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/");

        var html = await client.GetStringAsync(new Uri("/Account/Profile", UriKind.Relative));

        var navForm = Regex.Match(html, "<form[^>]*action=\"/Account/Logout\"[^>]*>(.*?)</form>", RegexOptions.Singleline);
        navForm.Success.Should().BeTrue();
        navForm.Groups[1].Value.Should().Contain("__RequestVerificationToken");
    }

    [Fact]
    public async Task Logout_revokes_clears_all_three_cookies_and_ends_the_hosted_ui_session()
    {
        using var app = LocalSignIn.App(stack);
        using var client = app.CreateHttpsClient();
        await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/");
        var revokes = await LocalSignIn.StatAsync(stack, "revoke");

        using var response = await LocalSignIn.PostLogoutAsync(client);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Be(
            $"{stack.Idp}/logout?client_id=cleancognito-local&logout_uri={Uri.EscapeDataString("https://localhost/Account/SignedOut")}");
        var cleared = response.Headers.GetValues("Set-Cookie").Where(c => c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        cleared.Select(c => c.Split('=')[0]).Should().BeEquivalentTo(LocalSignIn.TokenCookieNames);
        (await LocalSignIn.StatAsync(stack, "revoke")).Should().Be(revokes + 1);

        using var idp = HostedUiClient.NewHttpClient();
        using var cognitoLogout = await idp.GetAsync(response.Headers.Location);
        cognitoLogout.StatusCode.Should().Be(HttpStatusCode.Found, "the stand-in accepts the logout_uri as Cognito would");
        cognitoLogout.Headers.Location!.ToString().Should().Be("https://localhost/Account/SignedOut");

        using var profile = await client.GetAsync(new Uri("/Account/Profile", UriKind.Relative));
        profile.StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task The_revoked_refresh_token_no_longer_works_once_the_tokens_expire()
    {
        using var app = LocalSignIn.App(stack, LocalAwsStack.ShortLivedClientId, new Dictionary<string, string?> { ["Cognito:ExpirationLeewaySeconds"] = "0" });
        using var client = app.CreateHttpsClient();
        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/");
        using (var logout = await LocalSignIn.PostLogoutAsync(client))
        {
            logout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        await Expiry.WaitPastAsync(signIn.Cookie("cognito_access_token"));
        var refreshes = await LocalSignIn.StatAsync(stack, "token:refresh_token");
        using var replay = await LocalSignIn.ReplayAsync(app, LocalSignIn.CookieHeader(signIn));

        replay.StatusCode.Should().Be(HttpStatusCode.Redirect);
        replay.Headers.Location!.OriginalString.Should().Be("/Account/Login?returnUrl=%2FAccount%2FProfile");
        // The denylist entry ended with the tokens' lifetime (5 s here); the revocation holds beyond it.
        (await LocalSignIn.StatAsync(stack, "token:refresh_token")).Should().Be(refreshes + 1, "the app tried the revoked token and the pool refused it");
    }

    [Fact]
    public async Task After_logout_the_old_cookie_pair_is_refused_at_once_and_cleared_without_a_redis()
    {
        using var app = LocalSignIn.App(stack);
        using var client = app.CreateHttpsClient();
        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/");
        using (var before = await LocalSignIn.ReplayAsync(app, LocalSignIn.CookieHeader(signIn)))
        {
            before.StatusCode.Should().Be(HttpStatusCode.OK, "the copied cookies work until the sign-out");
        }

        using (var logout = await LocalSignIn.PostLogoutAsync(client))
        {
            logout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        var refreshes = await LocalSignIn.StatAsync(stack, "token:refresh_token");
        using var replay = await LocalSignIn.ReplayAsync(app, LocalSignIn.CookieHeader(signIn));

        replay.StatusCode.Should().Be(HttpStatusCode.Redirect, "the tokens are still within their exp, but their session was signed out");
        replay.Headers.Location!.OriginalString.Should().Be("/Account/Login?returnUrl=%2FAccount%2FProfile");
        var cleared = replay.Headers.GetValues("Set-Cookie").Where(c => c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        cleared.Select(c => c.Split('=')[0]).Should().BeEquivalentTo(LocalSignIn.TokenCookieNames);
        (await LocalSignIn.StatAsync(stack, "token:refresh_token")).Should().Be(refreshes);
        app.Logs.Entries.Should().Contain(e => e.Message.Contains("the session was signed out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_logout_the_old_refresh_cookie_alone_renews_nothing()
    {
        using var app = LocalSignIn.App(stack);
        using var client = app.CreateHttpsClient();
        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/");
        using (var logout = await LocalSignIn.PostLogoutAsync(client))
        {
            logout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        var refreshes = await LocalSignIn.StatAsync(stack, "token:refresh_token");
        using var replay = await LocalSignIn.ReplayAsync(app, $"cognito_refresh_token={signIn.Cookie("cognito_refresh_token")}");

        replay.StatusCode.Should().Be(HttpStatusCode.Redirect);
        replay.Headers.Location!.OriginalString.Should().StartWith("/Account/Login");
        (await LocalSignIn.StatAsync(stack, "token:refresh_token")).Should().Be(refreshes, "a signed-out refresh token is not even sent to the pool");
    }

    [Fact]
    public async Task Cookies_from_before_logout_are_not_renewed_from_a_refresh_made_just_before_it()
    {
        using var app = LocalSignIn.App(stack, LocalAwsStack.ShortLivedClientId, new Dictionary<string, string?> { ["Cognito:ExpirationLeewaySeconds"] = "0" });
        using var client = app.CreateHttpsClient();
        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/");
        await Expiry.WaitPastAsync(signIn.Cookie("cognito_access_token"));

        // A refresh, then sign-out at once: the refreshed tokens are still within their 5 seconds.
        using (var refreshed = await client.GetAsync(new Uri("/Account/Profile", UriKind.Relative)))
        {
            refreshed.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using (var logout = await LocalSignIn.PostLogoutAsync(client))
        {
            logout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        using var replay = await LocalSignIn.ReplayAsync(app, LocalSignIn.CookieHeader(signIn));

        replay.StatusCode.Should().Be(HttpStatusCode.Redirect, "a signed-out session must not come back from the refresh cache");
    }

    [Theory]
    [InlineData(LocalAwsStack.PublicClientId)]
    [InlineData(LocalAwsStack.ConfidentialClientId)]
    public async Task Logout_really_revokes_the_refresh_token_at_the_pool(string clientId)
    {
        using var app = LocalSignIn.App(stack, clientId);
        using var client = app.CreateHttpsClient();
        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/");
        var refreshToken = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("CleanCognito.RefreshToken").Unprotect(signIn.Cookie("cognito_refresh_token"));
        using var pool = new HostedUiClient(stack.Idp, clientId, clientId == LocalAwsStack.ConfidentialClientId ? LocalAwsStack.ConfidentialClientSecret : null);
        (await pool.RefreshAsync(refreshToken)).AccessToken.Should().NotBeNullOrEmpty("before sign-out the refresh token works");

        using (var logout = await LocalSignIn.PostLogoutAsync(client))
        {
            logout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        app.Logs.Entries.Should().NotContain(e => e.Message.Contains("Could not revoke", StringComparison.Ordinal));
        var refused = await FluentActions.Awaiting(() => pool.RefreshAsync(refreshToken)).Should().ThrowAsync<TokenEndpointException>();
        refused.Which.Status.Should().Be(400);
    }
}
