using System.Text.RegularExpressions;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Objects;

/// <summary>Alice's rename in Chromium: real sign-in, the AppSync stand-in, the date in her own time zone.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class RenameBrowserTests(LocalAwsStack stack) : IAsyncLifetime
{
    private CleanCognitoAppFactory _app = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private string _baseUrl = string.Empty;

    public async Task InitializeAsync()
    {
        await stack.ResetAsync();
        _app = new CleanCognitoAppFactory { UseCognitoSignIn = true }.WithSettings(stack.AppSettings());
        _app.UseKestrel(0);
        _app.StartServer();
        _baseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => a.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal))
            .First();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = BrowserFixture.ChromiumPath, Headless = true, Args = BrowserFixture.ChromiumArgs });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Alice_sees_the_date_in_her_time_zone_renames_the_object_and_the_new_name_survives_a_reload()
    {
        // Berlin is UTC+1 in January: the seeded 09:30 UTC must read 10:30 once local-time.js ran.
        await using var context = await _browser.NewContextAsync(new() { Locale = "de-DE", TimezoneId = "Europe/Berlin" });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{_baseUrl}/Objects/1234567890abcdef");
        await page.WaitForURLAsync(new Regex("/oauth2/authorize"));
        await page.FillAsync("input[name=username]", stack.Alice.Username);
        await page.FillAsync("input[name=password]", stack.Alice.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{_baseUrl}/Objects/1234567890abcdef");

        // From here on only the app's pages: the stand-in's sign-in page is not ours to judge.
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add($"{message.Location}: {message.Text}");
            }
        };
        await page.ReloadAsync();

        (await page.TextContentAsync("#object-name")).Should().Be("My first object");
        var date = page.Locator("#object-date");
        (await date.GetAttributeAsync("datetime")).Should().Be("2026-01-15T09:30:00Z");
        await Assertions.Expect(date).ToContainTextAsync("10:30");
        (await date.TextContentAsync()).Should().NotContain("UTC");

        await page.FillAsync("#Input_Name", "Renamed in Chromium");
        await page.ClickAsync("#rename");
        await page.WaitForURLAsync($"{_baseUrl}/Objects/1234567890abcdef");
        (await page.TextContentAsync("#notice")).Should().Contain("saved");
        (await page.TextContentAsync("#object-name")).Should().Be("Renamed in Chromium");

        await page.ReloadAsync();
        (await page.TextContentAsync("#object-name")).Should().Be("Renamed in Chromium");
        (await page.Locator("#notice").CountAsync()).Should().Be(0);
        problems.Should().BeEmpty("no script or CSP errors on the page");
    }

    [Fact]
    public async Task A_name_with_a_newline_is_refused_beside_the_field()
    {
        await using var context = await _browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{_baseUrl}/Objects/1234567890abcdef");
        await page.WaitForURLAsync(new Regex("/oauth2/authorize"));
        await page.FillAsync("input[name=username]", stack.Alice.Username);
        await page.FillAsync("input[name=password]", stack.Alice.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{_baseUrl}/Objects/1234567890abcdef");

        // An <input> cannot hold a newline; a tab is a control character a user can paste.
        await page.FillAsync("#Input_Name", "tab\there");
        var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#rename"), r => r.Request.Method == "POST");

        response.Status.Should().Be(400);
        (await page.TextContentAsync("#name-error")).Should().Contain("control characters");
        (await page.TextContentAsync("#object-name")).Should().Be("My first object");
    }
}
