using CleanCognito.TestSupport;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Notes;

/// <summary>Chromium, the real sign-in, the identity pool stand-in and DynamoDB behind the stand-in's front: /Notes as a user sees it.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class NotesBrowserTests(LocalAwsStack stack) : LiveAppTest(stack)
{
    [Fact]
    public async Task Alice_writes_notes_pages_through_them_newest_first_and_deletes_one_after_confirming()
    {
        await using var context = await Browser.NewContextAsync();
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await SignInAsync(page, Stack.Alice, "/Notes");
        await page.GotoAsync($"{BaseUrl}/");
        await page.ClickAsync("#notes-link");
        await page.WaitForURLAsync($"{BaseUrl}/Notes");

        // More than one page (20 per page by default): the first page starts with the newest.
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var i = 1; i <= 21; i++)
        {
            await page.FillAsync("#NewNote_Text", $"{run} note {i:D2}\nsecond line");
            await page.ClickAsync("#save-note");
            await page.WaitForSelectorAsync("#notes-notice");
        }

        (await page.TextContentAsync("#notes-list li:first-child .note-text")).Should().Be($"{run} note 21\nsecond line");
        await Screenshots.SaveAsync(page, "notes.png", page.Locator("#notes-list li:first-child"), page.Locator("#NewNote_Text"));
        await page.ClickAsync("#next-page");
        await page.WaitForSelectorAsync("#previous-page");
        (await page.Locator("#notes-list .note-text").AllTextContentsAsync()).Should().Contain($"{run} note 01\nsecond line");
        await page.ClickAsync("#previous-page");
        await page.WaitForSelectorAsync("#notes-list");
        (await page.TextContentAsync("#notes-list li:first-child .note-text")).Should().Be($"{run} note 21\nsecond line");

        // A refused note keeps what was typed, with the message beside the field.
        await page.EvaluateAsync("() => document.getElementById('NewNote_Text').removeAttribute('maxlength')");
        await page.FillAsync("#NewNote_Text", new string('x', 1001));
        await page.ClickAsync("#save-note");
        await Assertions.Expect(page.Locator("#note-error")).ToContainTextAsync("at most 1000");
        (await page.InputValueAsync("#NewNote_Text")).Should().HaveLength(1001);
        await Screenshots.SaveAsync(page, "notes-refused.png", page.Locator("#note-error"), page.Locator("#NewNote_Text"));

        // Delete the newest after the confirmation page shows it.
        await page.GotoAsync($"{BaseUrl}/Notes");
        await page.ClickAsync("#notes-list li:first-child a.row-action");
        (await page.TextContentAsync("#delete-text")).Should().Be($"{run} note 21\nsecond line");
        await page.ClickAsync("#confirm-delete");
        await page.WaitForURLAsync($"{BaseUrl}/Notes");
        (await page.TextContentAsync("#notes-notice")).Should().Contain("deleted");
        (await page.ContentAsync()).Should().NotContain($"{run} note 21");

        // The home page's card counts them.
        await page.GotoAsync($"{BaseUrl}/");
        (await page.TextContentAsync("#notes-count")).Should().MatchRegex(@"\d+\+? notes");
        await Screenshots.SaveAsync(page, "home-with-notes.png", page.Locator("#notes-count"), page.Locator("#notes-link"));
    }
}
