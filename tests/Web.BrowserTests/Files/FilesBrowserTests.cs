using System.Globalization;
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
        var shown = await RecordUploadProgressAsync(page);
        await SignInAsync(page, Stack.Alice, "/Files");

        var name = $"browser-{Guid.NewGuid():N}.bin";
        var content = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        await page.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "application/octet-stream", Buffer = content });
        await page.ClickAsync("#upload-button");

        await page.WaitForSelectorAsync($"tr[data-name=\"{name}\"]");
        shown.Should().HaveCountGreaterThan(1).And.StartWith("0|0%").And.EndWith("100|100%", "the bar went from 0 to 100% before the list reloaded");
        shown.Select(s => int.Parse(s.Split('|')[0], CultureInfo.InvariantCulture)).Should().BeInAscendingOrder();
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
        var own = $"bob-{Guid.NewGuid():N}.txt";
        await bob.SetInputFilesAsync("#file", new FilePayload { Name = own, MimeType = "text/plain", Buffer = "bob"u8.ToArray() });
        await bob.ClickAsync("#upload-button");
        await bob.WaitForSelectorAsync($"tr[data-name=\"{own}\"]");

        // First prove this is bob's real files page (an error page would also lack alice's file).
        var response = await bob.GotoAsync($"{BaseUrl}/Files");
        response!.Status.Should().Be(200);
        await Assertions.Expect(bob.GetByRole(AriaRole.Heading, new() { Name = "Your files", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(bob.Locator($"tr[data-name=\"{own}\"]")).ToHaveCountAsync(1);
        (await bob.ContentAsync()).Should().NotContain(name);
        await Assertions.Expect(bob.Locator($"tr[data-name=\"{name}\"]")).ToHaveCountAsync(0);

        await bob.ClickAsync($"tr[data-name=\"{own}\"] a:text('Delete')");
        await bob.ClickAsync("#confirm-delete");
        await bob.WaitForURLAsync($"{BaseUrl}/Files");
        await alice.ClickAsync($"tr[data-name=\"{name}\"] a:text('Delete')");
        await alice.ClickAsync("#confirm-delete");
        await alice.WaitForURLAsync($"{BaseUrl}/Files");
    }

    /// <summary>
    /// Every state the progress bar shows ("value|text"), reported by a mutation observer as it
    /// changes: the page reloads the list right after 100%, so nothing can be read off it later.
    /// </summary>
    private static async Task<IReadOnlyList<string>> RecordUploadProgressAsync(IPage page)
    {
        var shown = new List<string>();
        await page.ExposeFunctionAsync("reportUploadProgress", (string state) =>
        {
            lock (shown)
            {
                shown.Add(state);
            }
        });
        await page.AddInitScriptAsync("""
            document.addEventListener('DOMContentLoaded', () => {
              const bar = document.getElementById('upload-progress-bar');
              const text = document.getElementById('upload-progress-text');
              if (!bar) return;
              let last = '';
              new MutationObserver(() => {
                const state = bar.value + '|' + text.textContent;
                if (state !== last) { last = state; window.reportUploadProgress(state); }
              }).observe(bar.parentElement, { attributes: true, childList: true, characterData: true, subtree: true });
            });
            """);
        return shown;
    }
}
