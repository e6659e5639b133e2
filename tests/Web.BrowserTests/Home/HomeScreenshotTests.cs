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
    private static readonly string[] CardHeadings = ["Your objects", "Your files", "Your groups"];

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

        var files = await Screenshots.SaveAsync(
            page,
            "files-375.png",
            page.GetByRole(AriaRole.Heading, new() { Name = "Your files", Level = 1 }),
            page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }),
            page.GetByRole(AriaRole.Link, new() { Name = $"Delete {name}" }));
        (await ScrollWidthAsync(page)).Should().BeLessThanOrEqualTo(PageChecks.PhoneWidth);

        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#objects-count")).ToContainTextAsync("object");
        await Assertions.Expect(page.Locator("#files-count")).ToContainTextAsync("used");
        await Assertions.Expect(page.Locator("#groups")).ToHaveTextAsync("editors");
        var home = await Screenshots.SaveAsync(
            page,
            "home-signed-in-375.png",
            [.. CardHeadings.Select(heading => page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 2 })), page.Locator("#latest-object")]);
        (await ScrollWidthAsync(page)).Should().BeLessThanOrEqualTo(PageChecks.PhoneWidth);
        File.Exists(home).Should().BeTrue();
        File.Exists(files).Should().BeTrue();

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

        await Assertions.Expect(page.Locator("#greeting")).ToContainTextAsync("Hello, alice");
        await Screenshots.SaveAsync(
            page,
            "home-signed-in-1200.png",
            page.Locator("#latest-object"),
            page.GetByRole(AriaRole.Heading, new() { Name = "Your objects", Level = 2 }),
            page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }));
    }

    private static Task<int> ScrollWidthAsync(IPage page) => page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
}
