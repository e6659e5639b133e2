using System.Text.RegularExpressions;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Authentication;

/// <summary>Chromium against the app on a real Kestrel port with the real sign-in against the stand-in hosted UI.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class SignInBrowserTests(LocalAwsStack stack) : IAsyncLifetime
{
    private CleanCognitoAppFactory _app = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private string _baseUrl = string.Empty;

    public async Task InitializeAsync()
    {
        _app = new CleanCognitoAppFactory { UseCognitoSignIn = true }.WithSettings(stack.AppSettings());
        _app.UseKestrel(0);
        _app.StartServer();
        _baseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => a.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal))
            .First();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Alice_signs_in_sees_her_profile_signs_out_and_cannot_go_back()
    {
        await using var context = await _browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync($"{_baseUrl}/Account/Profile");
        await page.WaitForURLAsync(new Regex("/oauth2/authorize"));
        await page.FillAsync("input[name=username]", stack.Alice.Username);
        await page.FillAsync("input[name=password]", stack.Alice.Password);
        await page.ClickAsync("button[type=submit]");

        await page.WaitForURLAsync($"{_baseUrl}/Account/Profile");
        (await page.TextContentAsync("#profile-username")).Should().Be("alice");
        (await page.TextContentAsync("#profile-groups")).Should().Contain("editors");
        var cookies = await context.CookiesAsync([_baseUrl]);
        cookies.Select(c => c.Name).Should().Contain(["cognito_access_token", "cognito_id_token", "cognito_refresh_token"]);
        cookies.Where(c => c.Name.StartsWith("cognito_", StringComparison.Ordinal)).Should().OnlyContain(c => c.HttpOnly && c.Secure && c.SameSite == SameSiteAttribute.Lax);

        await page.ClickAsync("#sign-out");
        await page.WaitForURLAsync($"{_baseUrl}/Account/SignedOut");
        (await context.CookiesAsync([_baseUrl])).Select(c => c.Name).Should().NotContain(n => n.StartsWith("cognito_", StringComparison.Ordinal));

        await page.GotoAsync($"{_baseUrl}/Account/Profile");
        await page.WaitForURLAsync(new Regex("/oauth2/authorize"));
        (await page.Locator("input[name=password]").CountAsync()).Should().Be(1, "the hosted UI session ended too: the sign-in form is shown again");
        (await page.ContentAsync()).Should().NotContain("profile-username");
    }

    [Fact]
    public async Task A_wrong_password_shows_the_hosted_ui_message_and_signs_nobody_in()
    {
        await using var context = await _browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync($"{_baseUrl}/Account/Login?returnUrl=%2FAccount%2FProfile");
        await page.FillAsync("input[name=username]", stack.Bob.Username);
        await page.FillAsync("input[name=password]", "not-bobs-password");
        await page.ClickAsync("button[type=submit]");

        await page.WaitForSelectorAsync("text=Incorrect username or password.");
        (await context.CookiesAsync([_baseUrl])).Select(c => c.Name).Should().NotContain(n => n.StartsWith("cognito_", StringComparison.Ordinal));
    }
}
