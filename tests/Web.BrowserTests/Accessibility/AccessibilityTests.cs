using CleanCognito.TestSupport;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Accessibility;

/// <summary>
/// axe-core on every page of the app as signed out, alice (editor) and bob (no group) see it, at
/// desktop and phone width, with the real sign-in and the stand-ins: 0 serious or critical violations,
/// and nothing wider than a phone.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class AccessibilityTests(LocalAwsStack stack) : LiveAppTest(stack)
{
    [Theory]
    [InlineData(PageChecks.DesktopWidth)]
    [InlineData(PageChecks.PhoneWidth)]
    public async Task Signed_out_pages_have_no_serious_accessibility_violations(int width)
    {
        await using var context = await Browser.NewContextAsync(PageChecks.Context(width, BaseUrl));
        var page = await context.NewPageAsync();
        var problems = new List<string>();

        (await PageChecks.VisitAsync(page, "/", width, problems)).Should().Be(200);
        (await PageChecks.VisitAsync(page, "/Account/SignedOut", width, problems)).Should().Be(200);
        (await PageChecks.VisitAsync(page, "/Account/SignInFailed", width, problems)).Should().Be(400);

        problems.Should().BeEmpty();
    }

    [Theory]
    [InlineData(PageChecks.DesktopWidth)]
    [InlineData(PageChecks.PhoneWidth)]
    public async Task Alices_pages_have_no_serious_accessibility_violations(int width)
    {
        await using var context = await Browser.NewContextAsync(PageChecks.Context(width, BaseUrl));
        context.SetDefaultTimeout(30_000); // Playwright's own default: these pages are checked for accessibility, not timed
        var page = await context.NewPageAsync();
        await SignInAsync(page, Stack.Alice, "/Files");
        var problems = new List<string>();

        // A long name on purpose: it must wrap, not widen the table past a phone's screen.
        var name = $"a11y-{Guid.NewGuid():N}-quarterly-report-with-a-long-name.txt";
        await page.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "text/plain", Buffer = "hello"u8.ToArray() });
        await page.ClickAsync("#upload-button");
        await page.WaitForSelectorAsync("#files-notice");
        await PageChecks.CheckAsync(page, width, "/Files after an upload", problems);

        // The same name again: the duplicate-name message with its "Replace it" button.
        await page.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "text/plain", Buffer = "again"u8.ToArray() });
        await page.ClickAsync("#upload-button");
        await page.WaitForSelectorAsync("#replace-button");
        await PageChecks.CheckAsync(page, width, "/Files with a name clash", problems);

        (await PageChecks.VisitAsync(page, "/", width, problems)).Should().Be(200);
        (await PageChecks.VisitAsync(page, "/Objects", width, problems)).Should().Be(200);
        (await PageChecks.VisitAsync(page, "/Objects/1234567890abcdef", width, problems)).Should().Be(200);
        (await PageChecks.VisitAsync(page, "/Objects?handler=Find&id=not%20an%20id!", width, problems)).Should().Be(400);
        (await PageChecks.VisitAsync(page, "/Account/Profile", width, problems)).Should().Be(200);
        (await PageChecks.VisitAsync(page, "/no/such/page", width, problems)).Should().Be(404);
        (await PageChecks.VisitAsync(page, $"/Files/Delete?name={Uri.EscapeDataString(name)}", width, problems)).Should().Be(200);

        // Clean up through the page, as a user would.
        await page.ClickAsync("#confirm-delete");
        await page.WaitForURLAsync($"{BaseUrl}/Files");
        await PageChecks.CheckAsync(page, width, "/Files after a delete", problems);

        // Notes: the list with a long note, a refused note (its message beside the field, the text kept), the delete confirmation.
        (await PageChecks.VisitAsync(page, "/Notes", width, problems)).Should().Be(200);
        await page.FillAsync("#NewNote_Text", $"a11y {Guid.NewGuid():N} " + string.Concat(Enumerable.Repeat("a long line without spaces ", 12)).Replace(" ", "-", StringComparison.Ordinal));
        await page.ClickAsync("#save-note");
        await page.WaitForSelectorAsync("#notes-notice");
        await PageChecks.CheckAsync(page, width, "/Notes after a note", problems);
        await page.FillAsync("#NewNote_Text", "   ");
        await page.ClickAsync("#save-note");
        await page.WaitForSelectorAsync("#note-error:not(:empty)");
        await PageChecks.CheckAsync(page, width, "/Notes with a refused note", problems);
        (await PageChecks.VisitAsync(page, "/Notes", width, problems)).Should().Be(200);
        await page.ClickAsync("#notes-list li:first-child a.row-action");
        await page.WaitForSelectorAsync("#confirm-delete");
        await PageChecks.CheckAsync(page, width, "/Notes/Delete", problems);
        await page.ClickAsync("#confirm-delete");
        await page.WaitForURLAsync($"{BaseUrl}/Notes");

        problems.Should().BeEmpty();
    }

    [Theory]
    [InlineData(PageChecks.DesktopWidth)]
    [InlineData(PageChecks.PhoneWidth)]
    public async Task Bobs_pages_have_no_serious_accessibility_violations(int width)
    {
        await using var context = await Browser.NewContextAsync(PageChecks.Context(width, BaseUrl));
        var page = await context.NewPageAsync();
        await SignInAsync(page, Stack.Bob, "/Account/Profile");
        var problems = new List<string>();

        await PageChecks.CheckAsync(page, width, "/Account/Profile", problems);
        (await PageChecks.VisitAsync(page, "/", width, problems)).Should().Be(200);
        (await PageChecks.VisitAsync(page, "/Objects", width, problems)).Should().Be(200);
        (await PageChecks.VisitAsync(page, await BobsFirstObjectPathAsync(page), width, problems)).Should().Be(200);
        (await PageChecks.VisitAsync(page, "/Objects/1234567890abcdef", width, problems)).Should().Be(404, "alice's object is not bob's");
        (await PageChecks.VisitAsync(page, "/Files", width, problems)).Should().Be(200);
        (await PageChecks.VisitAsync(page, "/Account/AccessDenied", width, problems)).Should().Be(403);
        (await PageChecks.VisitAsync(page, "/Account/Logout", width, problems)).Should().Be(200);

        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task Bob_is_told_why_there_is_no_rename_form()
    {
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignInAsync(page, Stack.Bob, "/Objects");
        await page.GotoAsync(BaseUrl + await BobsFirstObjectPathAsync(page));

        (await page.Locator("#object-name").CountAsync()).Should().Be(1, "bob is on his own object's page");
        (await page.Locator("#rename-form").CountAsync()).Should().Be(0);
        await Assertions.Expect(page.Locator("#rename-unavailable")).ToBeVisibleAsync();
        (await page.TextContentAsync("#rename-unavailable")).Should().Contain("editors");
    }

    [Fact]
    public async Task Each_files_row_action_names_its_file_for_a_screen_reader()
    {
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignInAsync(page, Stack.Alice, "/Files");
        var name = $"named-{Guid.NewGuid():N}.txt";
        await page.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "text/plain", Buffer = "x"u8.ToArray() });
        await page.ClickAsync("#upload-button");
        await page.WaitForSelectorAsync($"tr[data-name=\"{name}\"]");

        // The accessible name, as a screen reader announces it: not just "Delete".
        var delete = page.GetByRole(AriaRole.Link, new() { Name = $"Delete {name}", Exact = true });
        (await delete.CountAsync()).Should().Be(1);
        (await page.GetByRole(AriaRole.Link, new() { Name = "Delete", Exact = true }).CountAsync()).Should().Be(0);

        await delete.ClickAsync();
        await page.ClickAsync("#confirm-delete");
        await page.WaitForURLAsync($"{BaseUrl}/Files");
    }

    /// <summary>The path of bob's first object (objects belong to their owner: alice's are 404 to him).</summary>
    private async Task<string> BobsFirstObjectPathAsync(IPage page)
    {
        await page.GotoAsync($"{BaseUrl}/Objects");
        var href = await page.Locator("#objects tbody a").First.GetAttributeAsync("href");
        href.Should().StartWith("/Objects/");
        return href!;
    }
}
