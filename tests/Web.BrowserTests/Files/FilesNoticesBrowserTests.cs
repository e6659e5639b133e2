using CleanCognito.TestSupport;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Files;

/// <summary>Which message /Files shows after which action, with JavaScript and without it.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class FilesNoticesBrowserTests(LocalAwsStack stack) : LiveAppTest(stack)
{
    [Fact]
    public async Task With_script_the_earlier_uploads_notice_goes_when_a_later_upload_is_refused()
    {
        await using var context = await Browser.NewContextAsync();
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await SignInAsync(page, Stack.Alice, "/Files");
        var name = $"twice-{Guid.NewGuid():N}.txt";

        await UploadAsync(page, name);
        await page.WaitForSelectorAsync($"tr[data-name=\"{name}\"]");
        (await page.TextContentAsync("#files-notice")).Should().Be($"Uploaded {name}.");

        await UploadAsync(page, name);
        await page.WaitForSelectorAsync("#replace-button");

        (await page.TextContentAsync("#upload-message")).Should().Contain("already exists");
        (await page.Locator("#files-notice").CountAsync()).Should().Be(0, "the earlier upload's notice does not sit beside this error");
        await DeleteAsync(page, name);
    }

    [Fact]
    public async Task Without_script_uploads_and_a_name_clash_show_one_message_each_and_the_list()
    {
        await using var context = await Browser.NewContextAsync(new() { JavaScriptEnabled = false });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await SignInAsync(page, Stack.Alice, "/Files");
        var name = $"noscript-{Guid.NewGuid():N}.txt";

        // The plain multipart form: POST, redirect, the list with the new file and its notice.
        await UploadAsync(page, name);
        await page.WaitForURLAsync($"{BaseUrl}/Files");
        await Assertions.Expect(page.Locator($"tr[data-name=\"{name}\"]")).ToBeVisibleAsync();
        (await page.TextContentAsync("#files-notice")).Should().Be($"Uploaded {name}.");

        var clash = await page.RunAndWaitForResponseAsync(() => UploadAsync(page, name), r => r.Request.Method == "POST");

        clash.Status.Should().Be(409);
        await page.WaitForLoadStateAsync();
        (await page.GetByText("already exists").CountAsync()).Should().Be(1, "one message for one refused upload");
        await Assertions.Expect(page.Locator("#files-clash")).ToBeVisibleAsync();
        (await page.Locator("#files-notice").CountAsync()).Should().Be(0);
        await Assertions.Expect(page.Locator($"tr[data-name=\"{name}\"]")).ToBeVisibleAsync();
        (await page.IsCheckedAsync("#overwrite")).Should().BeTrue();

        await DeleteAsync(page, name);
        (await page.TextContentAsync("#files-notice")).Should().Be($"Deleted {name}.");
    }

    private static async Task UploadAsync(IPage page, string name)
    {
        await page.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "text/plain", Buffer = "content"u8.ToArray() });
        await page.ClickAsync("#upload-button");
    }

    private async Task DeleteAsync(IPage page, string name)
    {
        await page.GotoAsync($"{BaseUrl}/Files/Delete?name={Uri.EscapeDataString(name)}");
        await page.ClickAsync("#confirm-delete");
        await page.WaitForURLAsync($"{BaseUrl}/Files");
    }
}
