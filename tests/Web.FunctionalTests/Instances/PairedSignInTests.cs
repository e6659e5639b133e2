using System.Net;
using System.Text.RegularExpressions;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace CleanCognito.Web.FunctionalTests.Instances;

/// <summary>
/// Two app instances behind a load balancer, one browser: every request may land on either. With
/// one shared key folder the sign-in started on one finishes on the other (the OIDC state and
/// correlation cookie are Data Protection payloads), the encrypted refresh cookie renews the session
/// anywhere, and a form rendered by one posts to the other (antiforgery). Real sign-in against the
/// local user pool; the instances run in Local because the stand-ins speak http.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed partial class PairedSignInTests(LocalAwsStack stack)
{
    private static readonly Uri AppBase = new("https://localhost");

    [Fact]
    public async Task A_user_signed_in_on_one_instance_keeps_the_session_on_the_other()
    {
        using var keys = new TempKeyFolder();
        using var first = Instance(keys.Path);
        using var second = Instance(keys.Path);
        var browser = new CookieContainer();

        await SignInAsync(startOn: first, finishOn: second, browser);

        using (var profile = await GetAsync(first, browser, "/Account/Profile"))
        {
            profile.StatusCode.Should().Be(HttpStatusCode.OK, "the session cookies written by the second instance are valid on the first");
        }

        // Only the encrypted refresh cookie left (the token cookies aged out): the other instance
        // must decrypt it to renew the session.
        var refreshOnly = OnlyRefreshCookie(browser);
        using (var renewed = await GetAsync(first, refreshOnly, "/Account/Profile"))
        {
            renewed.StatusCode.Should().Be(HttpStatusCode.OK, "the first instance decrypts the refresh cookie the second wrote");
            refreshOnly.GetCookies(AppBase)["cognito_access_token"].Should().NotBeNull("the renewed session is written back");
        }

        // A form rendered on one instance, posted to the other.
        var form = await GetAsync(second, browser, "/Account/Logout");
        var html = await form.Content.ReadAsStringAsync();
        form.Dispose();
        var token = AntiforgeryField().Match(html);
        token.Success.Should().BeTrue("the sign-out form carries an antiforgery token");
        using var signOut = await PostAsync(first, browser, "/Account/Logout", new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value) });
        signOut.StatusCode.Should().Be(HttpStatusCode.Redirect, "the first instance accepts the antiforgery token the second issued");
        signOut.Headers.Location!.ToString().Should().StartWith($"{stack.Idp}/logout");
    }

    [Fact]
    public async Task An_instance_with_other_keys_cannot_renew_the_session()
    {
        using var keys = new TempKeyFolder();
        using var otherKeys = new TempKeyFolder();
        using var first = Instance(keys.Path);
        using var stranger = Instance(otherKeys.Path);
        var browser = new CookieContainer();
        await SignInAsync(startOn: first, finishOn: first, browser);

        using var response = await GetAsync(stranger, OnlyRefreshCookie(browser), "/Account/Profile");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, "without the key ring the refresh cookie is unreadable");
        response.Headers.Location!.ToString().Should().StartWith("/Account/Login");
    }

    private ProductionAppFactory Instance(string keysPath)
    {
        var settings = stack.AppSettings();
        // A callback URL the local user pool allows; the instances answer it on any host.
        settings["Cognito:RedirectUrl"] = "http://localhost:5080/signin-oidc";
        settings["Cognito:LogoutUrl"] = "http://localhost:5080/Account/SignedOut";
        return new ProductionAppFactory(keysPath, environment: "Local", extraSettings: settings);
    }

    /// <summary>Login on one instance, the hosted UI form, the callback on the other (the shared driver, one cookie jar).</summary>
    private async Task SignInAsync(ProductionAppFactory startOn, ProductionAppFactory finishOn, CookieContainer browser)
    {
        using var start = startOn.CreateDefaultClient(AppBase, new CookieContainerHandler(browser));
        using var finish = finishOn.CreateDefaultClient(AppBase, new CookieContainerHandler(browser));

        var signedIn = await AppSignIn.SignInAsync(start, finish, stack.Alice.Username, stack.Alice.Password, "/Account/Profile");

        signedIn.LandedOn.Should().Be("/Account/Profile", "the callback completes the sign-in");
        browser.GetCookies(AppBase)["cognito_refresh_token"].Should().NotBeNull();
    }

    private static CookieContainer OnlyRefreshCookie(CookieContainer browser)
    {
        var refresh = browser.GetCookies(AppBase)["cognito_refresh_token"]!;
        var container = new CookieContainer();
        container.Add(AppBase, new Cookie(refresh.Name, refresh.Value, "/") { Secure = true, HttpOnly = true });
        return container;
    }

    private static async Task<HttpResponseMessage> GetAsync(ProductionAppFactory app, CookieContainer browser, string path)
    {
        using var client = app.CreateDefaultClient(AppBase, new CookieContainerHandler(browser));
        return await client.GetAsync(new Uri(path, UriKind.Relative));
    }

    private static async Task<HttpResponseMessage> PostAsync(ProductionAppFactory app, CookieContainer browser, string path, Dictionary<string, string> fields)
    {
        using var client = app.CreateDefaultClient(AppBase, new CookieContainerHandler(browser));
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    [GeneratedRegex(@"name=""__RequestVerificationToken""[^>]*value=""([^""]+)""")]
    private static partial Regex AntiforgeryField();
}
