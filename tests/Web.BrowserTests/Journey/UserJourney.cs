using System.Security.Cryptography;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Journey;

/// <summary>
/// The one browser journey a deployment must pass: sign in, the objects list, a file uploaded and
/// downloaded byte for byte (then deleted), sign out. The image test drives it against the built
/// container; <c>deploy/smoke.sh</c> drives it against a deployed app.
/// </summary>
public static class UserJourney
{
    /// <summary>Every wait of the journey is bounded by this (a deployed app may be far away, a CI machine loaded).</summary>
    private const float StepTimeoutMs = 60_000;

    public static async Task RunAsync(IBrowser browser, string baseUrl, string username, string password)
    {
        baseUrl = baseUrl.TrimEnd('/');
        await using var context = await browser.NewContextAsync();
        context.SetDefaultTimeout(StepTimeoutMs);
        context.SetDefaultNavigationTimeout(StepTimeoutMs);
        var page = await context.NewPageAsync();

        await HostedUiSignIn.SignInAsync(page, baseUrl, username, password, "/Objects");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your objects", Level = 1 })).ToBeVisibleAsync();
        (await context.CookiesAsync([baseUrl])).Select(c => c.Name).Should().Contain("cognito_access_token");

        await page.GotoAsync($"{baseUrl}/Files");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your files", Level = 1 })).ToBeVisibleAsync();
        var name = $"journey-{Guid.NewGuid():N}.bin";
        var content = RandomNumberGenerator.GetBytes(256 * 1024);
        await page.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "application/octet-stream", Buffer = content });
        await page.ClickAsync("#upload-button");
        var row = $"tr[data-name=\"{name}\"]";
        await page.WaitForSelectorAsync(row);

        // The download link goes through the app to a presigned URL: the browser's own cookies, its redirects.
        var href = await page.GetAttributeAsync($"{row} td a", "href");
        var download = await context.APIRequest.GetAsync($"{baseUrl}{href}");
        download.Status.Should().Be(200, "the file uploaded a moment ago downloads");
        (await download.BodyAsync()).Should().Equal(content, "the bytes that come down are the bytes that went up");

        // Leave nothing behind on a deployed app.
        await page.ClickAsync($"{row} a:text('Delete')");
        await page.ClickAsync("#confirm-delete");
        await page.WaitForURLAsync($"{baseUrl}/Files");
        await Assertions.Expect(page.Locator(row)).ToHaveCountAsync(0);

        await page.ClickAsync("#sign-out");
        await page.WaitForURLAsync($"{baseUrl}/Account/SignedOut");
        (await context.CookiesAsync([baseUrl])).Select(c => c.Name).Should().NotContain(n => n.StartsWith("cognito_", StringComparison.Ordinal));
    }
}
