using System.Security.Cryptography;
using CleanCognito.TestSupport;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Files;

/// <summary>Chromium, the real sign-in, the identity pool stand-in and moto: /Files as a user sees it.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class FilesBrowserTests(LocalAwsStack stack) : LiveAppTest(stack)
{
    [Fact]
    public async Task Alice_uploads_with_a_progress_bar_to_100_percent_downloads_the_same_bytes_and_deletes()
    {
        await using var context = await Browser.NewContextAsync();
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await SignInAsync(page, Stack.Alice, "/Files");

        var name = $"browser-{Guid.NewGuid():N}.bin";
        var content = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        await page.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "application/octet-stream", Buffer = content });
        await page.ClickAsync("#upload-button");

        // upload.js holds 100% on screen for a moment before it reloads the list.
        await page.WaitForFunctionAsync("() => document.getElementById('upload-progress-bar')?.value === 100", null, new() { PollingInterval = 20 });
        (await page.TextContentAsync("#upload-progress-text")).Should().Be("100%");
        await page.WaitForSelectorAsync($"tr[data-name=\"{name}\"]");
        (await page.TextContentAsync("#files-notice")).Should().Contain(name);
        (await page.GetAttributeAsync($"tr[data-name=\"{name}\"] time", "datetime")).Should().NotBeNullOrEmpty();

        var href = await page.GetAttributeAsync($"tr[data-name=\"{name}\"] td a", "href");
        var download = await context.APIRequest.GetAsync($"{BaseUrl}{href}");
        download.Status.Should().Be(200);
        (await download.BodyAsync()).Should().Equal(content);

        await page.ClickAsync($"tr[data-name=\"{name}\"] a:text('Delete')");
        (await page.TextContentAsync("#delete-name")).Should().Be(name);
        await page.ClickAsync("#confirm-delete");
        await page.WaitForURLAsync($"{BaseUrl}/Files");
        (await page.Locator($"tr[data-name=\"{name}\"]").CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Bob_never_sees_alices_files()
    {
        await using var aliceContext = await Browser.NewContextAsync();
        var alice = await aliceContext.NewPageAsync();
        await SignInAsync(alice, Stack.Alice, "/Files");
        var name = $"alice-{Guid.NewGuid():N}.txt";
        await alice.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "text/plain", Buffer = "alice"u8.ToArray() });
        await alice.ClickAsync("#upload-button");
        await alice.WaitForSelectorAsync($"tr[data-name=\"{name}\"]");

        await using var bobContext = await Browser.NewContextAsync();
        var bob = await bobContext.NewPageAsync();
        await SignInAsync(bob, Stack.Bob, "/Files");

        (await bob.ContentAsync()).Should().NotContain(name);
        await alice.ClickAsync($"tr[data-name=\"{name}\"] a:text('Delete')");
        await alice.ClickAsync("#confirm-delete");
    }

}
