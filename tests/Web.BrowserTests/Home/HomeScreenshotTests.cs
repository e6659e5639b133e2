using CleanCognito.TestSupport;
using CleanCognito.Web.BrowserTests.Accessibility;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Home;

/// <summary>
/// The signed-in home page and /Files on a 375 px phone, with the real sign-in and the stand-ins;
/// the screenshots are kept as test artifacts in TestResults/screenshots/ (not committed).
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class HomeScreenshotTests(LocalAwsStack stack) : LiveAppTest(stack)
{
    [Fact]
    public async Task Alices_home_page_and_files_fit_a_phone_and_are_saved_as_screenshots()
    {
        await using var context = await Browser.NewContextAsync(PageChecks.Context(PageChecks.PhoneWidth, BaseUrl));
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await SignInAsync(page, Stack.Alice, "/Files");
        var name = $"screenshot-{Guid.NewGuid():N}-holiday-photos-2026.txt";
        await page.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "text/plain", Buffer = new byte[150_000] });
        await page.ClickAsync("#upload-button");
        await page.WaitForSelectorAsync($"tr[data-name=\"{name}\"]");

        var files = await Screenshots.SaveAsync(page, "files-375.png");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your files", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Delete {name}" })).ToBeVisibleAsync();
        (await ScrollWidthAsync(page)).Should().BeLessThanOrEqualTo(PageChecks.PhoneWidth);

        await page.GotoAsync("/");
        var home = await Screenshots.SaveAsync(page, "home-signed-in-375.png");
        foreach (var heading in new[] { "Your objects", "Your files", "Your groups" })
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 2 })).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.Locator("#objects-count")).ToContainTextAsync("object");
        await Assertions.Expect(page.Locator("#files-count")).ToContainTextAsync("used");
        await Assertions.Expect(page.Locator("#groups")).ToHaveTextAsync("editors");
        (await ScrollWidthAsync(page)).Should().BeLessThanOrEqualTo(PageChecks.PhoneWidth);

        new FileInfo(home).Length.Should().BeGreaterThan(5_000);
        new FileInfo(files).Length.Should().BeGreaterThan(5_000);

        await page.GotoAsync($"/Files/Delete?name={Uri.EscapeDataString(name)}");
        await page.ClickAsync("#confirm-delete");
        await page.WaitForURLAsync($"{BaseUrl}/Files");
    }

    [Fact]
    public async Task Alices_home_page_on_a_desktop_is_saved_as_a_screenshot()
    {
        await using var context = await Browser.NewContextAsync(PageChecks.Context(PageChecks.DesktopWidth, BaseUrl));
        var page = await context.NewPageAsync();
        await SignInAsync(page, Stack.Alice, "/Account/Profile");
        await page.GotoAsync("/");

        await Assertions.Expect(page.Locator("#latest-object")).ToBeVisibleAsync();
        var path = await Screenshots.SaveAsync(page, "home-signed-in-1200.png");

        new FileInfo(path).Length.Should().BeGreaterThan(5_000);
    }

    private static Task<int> ScrollWidthAsync(IPage page) => page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
}
