using System.Security.Cryptography;
using CleanCognito.TestSupport;
using CleanCognito.Web.BrowserTests.Accessibility;
using Microsoft.Playwright;
using static CleanCognito.Web.BrowserTests.Files.UploadPage;

namespace CleanCognito.Web.BrowserTests.Files;

/// <summary>
/// Pause and Resume of a direct upload (from the keyboard), and the one notice that names every file
/// of a batch while each file's error stays on its own row.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class PauseAndNoticeBrowserTests(LocalAwsStack stack) : LiveAppTest(stack)
{
    [Fact]
    public async Task Pause_stops_the_parts_and_resume_sends_only_the_missing_ones()
    {
        var (context, page) = await SignedInAsync(PageChecks.Context(PageChecks.DesktopWidth));
        await using var _ = context;
        var name = $"pause-{Guid.NewGuid():N}.bin";
        var content = RandomNumberGenerator.GetBytes(25 * MiB); // 5 parts of 5 MiB: 2 stored = 40 %
        var puts = CountPartPuts(page, Stack.S3);
        // Two parts reach the bucket; the next ones stay in flight until Pause aborts them.
        var passed = 0;
        var held = new TaskCompletionSource();
        await page.RouteAsync($"{Stack.S3}/**", async route =>
        {
            if (route.Request.Method == "PUT" && Interlocked.Increment(ref passed) > 2)
            {
                await held.Task;
            }

            try
            {
                await route.ContinueAsync();
            }
            catch (PlaywrightException)
            {
                // The page aborted this request (Pause) while it was held.
            }
        });

        await page.SetInputFilesAsync("#file", Payload(name, content));
        var uploadId = CaptureUploadId(page);
        await page.ClickAsync("#upload-button");
        await Eventually.TrueAsync("two parts stored", () => CountOf(puts) == 2, TimeSpan.FromSeconds(20));
        await Eventually.TrueAsync("more parts in flight", () => Volatile.Read(ref passed) > 2, TimeSpan.FromSeconds(10));

        // From the keyboard: the button is named for its file, and says what it will do next.
        var pause = page.GetByRole(AriaRole.Button, new() { Name = $"Pause the upload of {name}", Exact = true });
        await pause.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var row = page.Locator($"li.upload[data-name=\"{name}\"]");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "paused");
        var resume = page.GetByRole(AriaRole.Button, new() { Name = $"Resume the upload of {name}", Exact = true });
        await Assertions.Expect(resume).ToBeFocusedAsync();
        (await row.Locator(".upload-status").TextContentAsync()).Should().Be("Paused at 40%.");
        var problems = new List<string>();
        await PageChecks.CheckAsync(page, PageChecks.DesktopWidth, "/Files with a paused upload", problems);
        problems.Should().BeEmpty();

        // The held requests were aborted by the pause: letting them go stores nothing more.
        held.SetResult();
        await page.UnrouteAllAsync(new() { Behavior = UnrouteBehavior.Wait });
        await Task.Delay(1000);
        CountOf(puts).Should().Be(2, "nothing is sent while paused");
        (await StoredPartsAsync(page, name, await uploadId)).Should().Be(2);

        await page.Keyboard.PressAsync(" ");
        await page.WaitForSelectorAsync($"tr[data-name=\"{name}\"]");
        CountOf(puts).Should().Be(5, "after Resume only the 3 missing parts were sent");
        (await page.TextContentAsync("#files-notice")).Should().Be($"Uploaded {name}.");
        (await DownloadAsync(context, page, BaseUrl, name)).Should().Equal(SHA256.HashData(content));
    }

    [Fact]
    public async Task Several_files_stored_together_are_all_named_in_one_notice()
    {
        var (context, page) = await SignedInAsync(new());
        await using var _ = context;
        var names = Enumerable.Range(1, 3).Select(i => $"batch-{i}-{Guid.NewGuid():N}.txt").ToArray();

        await page.SetInputFilesAsync("#file", names.Select(n => Payload(n, RandomNumberGenerator.GetBytes(1000))).ToArray());
        await page.ClickAsync("#upload-button");

        foreach (var name in names)
        {
            await page.WaitForSelectorAsync($"tr[data-name=\"{name}\"]");
        }

        (await page.TextContentAsync("#files-notice")).Should().Be($"3 files uploaded: {string.Join(", ", names)}.");
        (await page.GetAttributeAsync("#files-notice", "role")).Should().Be("status");
    }

    [Fact]
    public async Task A_refused_file_keeps_its_error_on_its_row_and_the_notice_names_the_stored_ones()
    {
        var (context, page) = await SignedInAsync(new());
        await using var _ = context;
        var stored = new[] { $"kept-a-{Guid.NewGuid():N}.txt", $"kept-b-{Guid.NewGuid():N}.txt" };
        var empty = $"empty-{Guid.NewGuid():N}.txt";

        await page.SetInputFilesAsync("#file", new[] { Payload(stored[0], [1, 2, 3]), Payload(empty, []), Payload(stored[1], [4, 5]) });
        await page.ClickAsync("#upload-button");

        await Assertions.Expect(page.Locator("#files-notice")).ToHaveTextAsync($"2 files uploaded: {stored[0]}, {stored[1]}.");
        var refused = page.Locator($"li.upload[data-name=\"{empty}\"]");
        await Assertions.Expect(refused).ToHaveAttributeAsync("data-state", "failed");
        (await refused.Locator(".upload-error").TextContentAsync()).Should().Contain("empty");
        foreach (var name in stored)
        {
            await Assertions.Expect(page.Locator($"li.upload[data-name=\"{name}\"]")).ToHaveAttributeAsync("data-state", "done");
            (await page.Locator($"li.upload[data-name=\"{name}\"] .upload-error").IsVisibleAsync()).Should().BeFalse();
        }

        // The rows stay (no reload took the error away); the list shows the stored files on the next visit.
        await page.GotoAsync($"{BaseUrl}/Files");
        foreach (var name in stored)
        {
            await Assertions.Expect(page.Locator($"tr[data-name=\"{name}\"]")).ToBeVisibleAsync();
        }

        (await page.Locator($"tr[data-name=\"{empty}\"]").CountAsync()).Should().Be(0);
    }

    private async Task<(IBrowserContext Context, IPage Page)> SignedInAsync(BrowserNewContextOptions options)
    {
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await SignInAsync(page, Stack.Alice, "/Files");
        return (context, page);
    }
}
