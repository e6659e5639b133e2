using System.Net;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Net.Http.Headers;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary>The real sign-in over HTTP against the stand-in hosted UI: form, code, callback, cookies, profile.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class SignInFlowTests(LocalAwsStack stack)
{
    [Fact]
    public async Task Sign_in_writes_the_three_cookies_with_every_flag()
    {
        using var app = LocalSignIn.App(stack, settings: new Dictionary<string, string?>
        {
            ["Cognito:CookieAgeSeconds"] = "1800",
            ["Cognito:RefreshCookieAgeSeconds"] = "86400",
        });
        using var client = app.CreateHttpsClient();

        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/Account/Profile");

        signIn.LandedOn.Should().Be("/Account/Profile");
        var cookies = SetCookieHeaderValue.ParseList(signIn.CallbackSetCookies.ToList())
            .Where(c => c.Name.Value!.StartsWith("cognito_", StringComparison.Ordinal)).ToDictionary(c => c.Name.Value!);
        cookies.Keys.Should().BeEquivalentTo("cognito_access_token", "cognito_id_token", "cognito_refresh_token");
        foreach (var (name, cookie) in cookies)
        {
            cookie.HttpOnly.Should().BeTrue(name);
            cookie.Secure.Should().BeTrue(name);
            cookie.SameSite.Should().Be(Microsoft.Net.Http.Headers.SameSiteMode.Lax, name);
            cookie.Path.Value.Should().Be("/", name);
            cookie.Domain.HasValue.Should().BeFalse(name);
            cookie.MaxAge.Should().Be(name == "cognito_refresh_token" ? TimeSpan.FromSeconds(86400) : TimeSpan.FromSeconds(1800), name);
        }

        var access = new JsonWebToken(signIn.Cookie("cognito_access_token"));
        access.GetClaim("token_use").Value.Should().Be("access");
        access.GetClaim("username").Value.Should().Be("alice");
        var id = new JsonWebToken(signIn.Cookie("cognito_id_token"));
        id.GetClaim("token_use").Value.Should().Be("id");
        id.GetClaim("cognito:username").Value.Should().Be("alice");

        var refreshCookie = signIn.Cookie("cognito_refresh_token");
        refreshCookie.Should().NotStartWith("eyJ").And.NotContain(".", "the refresh cookie is Data Protection ciphertext, not a readable token");
        var refreshToken = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("CleanCognito.RefreshToken").Unprotect(refreshCookie);
        refreshToken.Should().NotBeNullOrWhiteSpace().And.NotBe(refreshCookie);
    }

    [Fact]
    public async Task The_cookie_domain_setting_becomes_the_cookies_domain()
    {
        using var app = LocalSignIn.App(stack, settings: new Dictionary<string, string?> { ["Cognito:CookieDomain"] = "localhost" });
        using var client = app.CreateHttpsClient();

        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/");

        var cookies = SetCookieHeaderValue.ParseList(signIn.CallbackSetCookies.ToList()).Where(c => c.Name.Value!.StartsWith("cognito_", StringComparison.Ordinal)).ToList();
        cookies.Should().HaveCount(3).And.OnlyContain(c => c.Domain.Value == "localhost");
    }

    [Fact]
    public async Task The_profile_shows_who_signed_in_and_when_the_tokens_expire_but_never_a_token()
    {
        using var app = LocalSignIn.App(stack);
        using var client = app.CreateHttpsClient();
        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/Account/Profile");

        using var response = await client.GetAsync(new Uri("/Account/Profile", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("id=\"profile-username\">alice<")
            .And.Contain("id=\"profile-email\">alice@example.com<")
            .And.Contain("id=\"profile-groups\">editors<");
        // The identity pool stand-in keeps one IdentityId per user, as AWS does.
        html.Should().MatchRegex("id=\"identity-id\"><code>us-east-1:[0-9a-f-]{36}</code>").And.Contain("id=\"credentials-expiry\"");
        var expiry = new JsonWebToken(signIn.Cookie("cognito_access_token")).ValidTo;
        // <local-time>: the exact instant in the attribute for local-time.js, readable UTC text without script.
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        html.Should().MatchRegex($"<time id=\"access-token-expiry\" datetime=\"{expiry.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", invariant)}\" data-local[^>]*>{expiry.ToString("yyyy-MM-dd HH:mm 'UTC'", invariant)}</time>")
            .And.MatchRegex("<time id=\"id-token-expiry\" datetime=\"[0-9T:-]+Z\" data-local")
            .And.MatchRegex("<time id=\"credentials-expiry\" datetime=\"[0-9T:-]+Z\" data-local");
        var refreshToken = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("CleanCognito.RefreshToken").Unprotect(signIn.Cookie("cognito_refresh_token"));
        SecretLeaks.Find(html, [signIn.Cookie("cognito_access_token"), signIn.Cookie("cognito_id_token"), signIn.Cookie("cognito_refresh_token"), refreshToken])
            .Should().BeNull("the profile must never show a token");
    }

    [Fact]
    public async Task The_profile_still_shows_the_user_when_the_identity_pool_is_down()
    {
        var nothingListens = new Dictionary<string, string?> { ["IdentityPool:ServiceUrl"] = $"http://127.0.0.1:{FreePort.Pick(1)[0]}" };
        using var app = LocalSignIn.App(stack, settings: nothingListens);
        using var client = app.CreateHttpsClient();
        await AppSignIn.SignInAsync(client, stack.Bob.Username, stack.Bob.Password, "/Account/Profile");

        using var response = await client.GetAsync(new Uri("/Account/Profile", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("id=\"profile-username\">bob<").And.Contain("id=\"identity-unavailable\"");
    }

    [Theory]
    [InlineData("/Account/Profile?tab=groups", "/Account/Profile?tab=groups")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    public async Task Only_a_local_return_url_is_kept_through_sign_in(string returnUrl, string landsOn)
    {
        using var app = LocalSignIn.App(stack);
        using var client = app.CreateHttpsClient();

        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, returnUrl);

        signIn.LandedOn.Should().Be(landsOn);
    }

    [Fact]
    public async Task A_protected_page_sends_a_signed_out_user_to_sign_in_and_back()
    {
        using var app = LocalSignIn.App(stack);
        using var client = app.CreateHttpsClient();

        using var first = await client.GetAsync(new Uri("/Account/Profile", UriKind.Relative));
        first.StatusCode.Should().Be(HttpStatusCode.Redirect);
        first.Headers.Location!.OriginalString.Should().Be("/Account/Login?returnUrl=%2FAccount%2FProfile");

        var signIn = await AppSignIn.SignInAsync(client, stack.Bob.Username, stack.Bob.Password, "/Account/Profile");
        signIn.LandedOn.Should().Be("/Account/Profile");
        using var profile = await client.GetAsync(new Uri("/Account/Profile", UriKind.Relative));
        profile.StatusCode.Should().Be(HttpStatusCode.OK);
        (await profile.Content.ReadAsStringAsync()).Should().Contain("id=\"profile-username\">bob<").And.Contain("id=\"profile-groups\">none<");
    }

    [Fact]
    public async Task A_confidential_client_signs_in_with_its_secret()
    {
        var before = await LocalSignIn.StatAsync(stack, "token:authorization_code");
        using var app = LocalSignIn.App(stack, LocalAwsStack.ConfidentialClientId);
        using var client = app.CreateHttpsClient();

        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/Account/Profile");

        (await LocalSignIn.StatAsync(stack, "token:authorization_code")).Should().Be(before + 1);
        new JsonWebToken(signIn.Cookie("cognito_access_token")).GetClaim("client_id").Value.Should().Be(LocalAwsStack.ConfidentialClientId);
        using var profile = await client.GetAsync(new Uri("/Account/Profile", UriKind.Relative));
        profile.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_wrong_password_stays_on_the_hosted_ui_with_its_message()
    {
        using var app = LocalSignIn.App(stack);
        using var client = app.CreateHttpsClient();
        var tokenRequests = await LocalSignIn.StatAsync(stack, "token:authorization_code");
        var authorize = await AppSignIn.StartAsync(client, "/Account/Profile");
        using var idp = HostedUiClient.NewHttpClient();

        using var post = await HostedUiClient.PostSignInFormAsync(idp, authorize, stack.Alice.Username, "Wrong-Passw0rd!");

        post.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await post.Content.ReadAsStringAsync();
        html.Should().Contain("Incorrect username or password.");
        HostedUiClient.SignInForm.Parse(html).HiddenFields.Should().ContainKey("client_id");
        (await LocalSignIn.StatAsync(stack, "token:authorization_code")).Should().Be(tokenRequests, "no code was issued, so the app never redeemed one");
    }

    [Fact]
    public async Task A_replayed_callback_does_not_sign_in_again()
    {
        using var app = LocalSignIn.App(stack);
        using var client = app.CreateHttpsClient();
        var authorize = await AppSignIn.StartAsync(client, "/Account/Profile");
        using var idp = HostedUiClient.NewHttpClient();
        using var post = await HostedUiClient.PostSignInFormAsync(idp, authorize, stack.Alice.Username, stack.Alice.Password);
        var callback = new Uri(post.Headers.Location!.PathAndQuery, UriKind.Relative);
        using (var first = await client.GetAsync(callback))
        {
            first.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        using var fresh = app.CreateHttpsClient(keepCookies: false);
        using var replay = await fresh.GetAsync(callback);

        replay.StatusCode.Should().Be(HttpStatusCode.Redirect);
        replay.Headers.Location!.OriginalString.Should().EndWith("/Account/SignInFailed");
        replay.Headers.TryGetValues("Set-Cookie", out var set);
        (set ?? []).Should().NotContain(c => c.StartsWith("cognito_access_token=ey", StringComparison.Ordinal));
    }
}
