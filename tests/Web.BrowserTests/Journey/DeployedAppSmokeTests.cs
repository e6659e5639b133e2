using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Journey;

/// <summary>
/// <c>deploy/smoke.sh URL</c>: the user journey in Chromium against an app that is already running
/// somewhere (SMOKE_URL), signing in as SMOKE_USERNAME / SMOKE_PASSWORD.
/// </summary>
public sealed class DeployedAppSmokeTests
{
    [SmokeFact]
    public async Task A_user_signs_in_sees_objects_uploads_and_downloads_a_file_and_signs_out()
    {
        var url = Environment.GetEnvironmentVariable(SmokeFactAttribute.UrlVariable)!;
        var username = Required("SMOKE_USERNAME");
        var password = Required("SMOKE_PASSWORD");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = BrowserFixture.ChromiumArgs,
            Timeout = 30_000,
        });

        await UserJourney.RunAsync(browser, url, username, password);
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set (deploy/smoke.sh sets it from the environment).");
}
