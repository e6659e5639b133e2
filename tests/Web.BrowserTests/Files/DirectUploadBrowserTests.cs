using System.Security.Cryptography;
using System.Text.Json;
using CleanCognito.TestSupport;
using Microsoft.Playwright;
using static CleanCognito.Web.BrowserTests.Files.UploadPage;

namespace CleanCognito.Web.BrowserTests.Files;

/// <summary>
/// Direct uploads in Chromium: upload.js PUTs the parts straight to the S3 front (SigV4, IAM, CORS
/// from the template) through URLs the app signs; files of 6–16 MB so each has two parts or more.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class DirectUploadBrowserTests(LocalAwsStack stack) : LiveAppTest(stack)
{
    [Fact]
    public async Task Several_files_upload_at_once_in_parts_straight_to_the_bucket()
    {
        var (context, page) = await SignedInAsync(Stack.Alice);
        await using var _ = context;
        var puts = CountPartPuts(page, Stack.S3);
        var first = ($"many-a-{Guid.NewGuid():N}.bin", RandomNumberGenerator.GetBytes((6 * MiB) + 1));
        var second = ($"many-b-{Guid.NewGuid():N}.bin", RandomNumberGenerator.GetBytes((7 * MiB) + 5));

        await page.SetInputFilesAsync("#file", new[] { Payload(first.Item1, first.Item2), Payload(second.Item1, second.Item2) });
        await page.ClickAsync("#upload-button");

        await page.WaitForSelectorAsync($"tr[data-name=\"{first.Item1}\"]");
        await page.WaitForSelectorAsync($"tr[data-name=\"{second.Item1}\"]");
        puts.Count.Should().Be(4, "two parts each, sent to the bucket, not the app");
        (await DownloadAsync(context, page, BaseUrl, first.Item1)).Should().Equal(SHA256.HashData(first.Item2));
        (await DownloadAsync(context, page, BaseUrl, second.Item1)).Should().Equal(SHA256.HashData(second.Item2));
    }

    [Fact]
    public async Task A_file_dropped_on_the_form_is_uploaded()
    {
        var (context, page) = await SignedInAsync(Stack.Alice);
        await using var _ = context;
        var name = $"dropped-{Guid.NewGuid():N}.bin";
        var puts = CountPartPuts(page, Stack.S3);

        // A real DataTransfer with a File made in the page, dropped on the form as a user's drop is.
        await page.EvaluateAsync("""
            ([name, size]) => {
              const bytes = new Uint8Array(size);
              for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(i + 65536, size)));
              const transfer = new DataTransfer();
              transfer.items.add(new File([bytes], name, { type: 'application/octet-stream' }));
              const form = document.getElementById('upload-form');
              form.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
              form.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
            }
            """, new object[] { name, (6 * MiB) + 3 });

        await page.WaitForSelectorAsync($"tr[data-name=\"{name}\"]");
        (await page.TextContentAsync($"tr[data-name=\"{name}\"] td.number")).Should().Contain("6");
        CountOf(puts).Should().Be(2, "the dropped file went to the bucket in its two parts, not through the app");
    }

    [Fact]
    public async Task Choosing_the_same_file_after_a_reload_sends_only_the_missing_parts()
    {
        var (context, page) = await SignedInAsync(Stack.Alice);
        await using var _ = context;
        var name = $"resume-{Guid.NewGuid():N}.bin";
        var path = Path.Combine(Path.GetTempPath(), name);
        var content = RandomNumberGenerator.GetBytes((15 * MiB) + 77);
        await File.WriteAllBytesAsync(path, content);
        try
        {
            // The connection "drops" after two parts: every later part PUT fails.
            var stored = 0;
            var passed = 0;
            await page.RouteAsync($"{Stack.S3}/**", async route =>
            {
                if (route.Request.Method == "PUT" && Interlocked.Increment(ref passed) > 2)
                {
                    await route.AbortAsync("connectionreset");
                    return;
                }

                await route.ContinueAsync();
            });
            page.Response += (_, response) =>
            {
                if (response.Request.Method == "PUT" && response.Status == 200)
                {
                    Interlocked.Increment(ref stored);
                }
            };
            await page.SetInputFilesAsync("#file", path);
            await page.ClickAsync("#upload-button");
            await Eventually.TrueAsync("two parts stored", () => Volatile.Read(ref stored) == 2, TimeSpan.FromSeconds(20));

            // The reload ends the page's retries; only then may PUTs pass again.
            await page.ReloadAsync();
            await page.UnrouteAllAsync(new() { Behavior = UnrouteBehavior.IgnoreErrors });
            (await page.Locator($"tr[data-name=\"{name}\"]").CountAsync()).Should().Be(0, "the interrupted upload was not completed");
            var puts = CountPartPuts(page, Stack.S3);
            await page.SetInputFilesAsync("#file", path);
            await page.ClickAsync("#upload-button");

            await page.WaitForSelectorAsync($"tr[data-name=\"{name}\"]");
            puts.Count.Should().Be(2, "4 parts, 2 of them already in the bucket");
            (await DownloadAsync(context, page, BaseUrl, name)).Should().Equal(SHA256.HashData(content));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Cancel_aborts_the_upload_and_leaves_no_parts()
    {
        var (context, page) = await SignedInAsync(Stack.Alice);
        await using var _ = context;
        var name = $"cancel-{Guid.NewGuid():N}.bin";
        var uploadId = CaptureUploadId(page);
        // One part reaches the bucket; the others hang until the upload is cancelled.
        var held = new TaskCompletionSource();
        var passed = 0;
        await page.RouteAsync($"{Stack.S3}/**", async route =>
        {
            if (route.Request.Method == "PUT" && Interlocked.Increment(ref passed) > 1)
            {
                await held.Task;
                await route.AbortAsync("aborted");
                return;
            }

            await route.ContinueAsync();
        });
        var stored = page.WaitForResponseAsync(r => r.Request.Method == "PUT" && r.Status == 200);

        await page.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "application/octet-stream", Buffer = RandomNumberGenerator.GetBytes(11 * MiB) });
        await page.ClickAsync("#upload-button");
        await stored;
        await page.ClickAsync($"li.upload[data-name=\"{name}\"] .upload-cancel");
        await page.WaitForSelectorAsync($"li.upload[data-name=\"{name}\"][data-state=\"cancelled\"]");
        held.SetResult();

        var list = await CallAsync(page, "ListParts", new { name, uploadId = await uploadId });
        list.Status.Should().Be(404, "the bucket holds no upload and no parts for it: {0}", list.Body);
    }

    [Fact]
    public async Task The_same_name_again_says_it_exists_and_replace_stores_the_new_bytes()
    {
        var (context, page) = await SignedInAsync(Stack.Alice);
        await using var _ = context;
        var name = $"again-{Guid.NewGuid():N}.bin";
        var second = RandomNumberGenerator.GetBytes((5 * MiB) + 9);

        await page.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "application/octet-stream", Buffer = RandomNumberGenerator.GetBytes((5 * MiB) + 1) });
        await page.ClickAsync("#upload-button");
        await page.WaitForSelectorAsync($"tr[data-name=\"{name}\"]");

        await page.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "application/octet-stream", Buffer = second });
        await page.ClickAsync("#upload-button");
        await page.WaitForSelectorAsync("#replace-button");
        (await page.TextContentAsync("#upload-message")).Should().Contain("already exists");
        var puts = CountPartPuts(page, Stack.S3);
        await page.ClickAsync("#replace-button");

        await page.WaitForSelectorAsync("#files-notice");
        puts.Should().BeEmpty("replace only completes the upload whose parts are already there");
        (await DownloadAsync(context, page, BaseUrl, name)).Should().Equal(SHA256.HashData(second));
    }

    [Fact]
    public async Task Bob_cannot_use_alices_upload_id_nor_name_a_key_in_her_folder()
    {
        var (aliceContext, alice) = await SignedInAsync(Stack.Alice);
        await using var _ = aliceContext;
        var name = $"alices-{Guid.NewGuid():N}.bin";
        var started = await CallAsync(alice, "StartUpload", new { name, size = 6 * MiB });
        started.Status.Should().Be(200, started.Body);
        string aliceUpload;
        using (var json = JsonDocument.Parse(started.Body))
        {
            aliceUpload = json.RootElement.GetProperty("uploadId").GetString()!;
        }

        var (bobContext, bob) = await SignedInAsync(Stack.Bob);
        await using var __ = bobContext;
        var etag = "\"" + new string('0', 32) + "\"";
        (await CallAsync(bob, "ListParts", new { name, uploadId = aliceUpload })).Status.Should().Be(404);
        (await CallAsync(bob, "CompleteUpload", new { name, uploadId = aliceUpload, parts = new[] { new { partNumber = 1, eTag = etag } }, overwrite = true })).Status.Should().Be(404);
        (await CallAsync(bob, "AbortUpload", new { name, uploadId = aliceUpload })).Status.Should().Be(404);
        // Signing costs nothing (offline), but the URL names bob's own key: the bucket binds alice's
        // upload id to her key and refuses the part, so nothing lands in her upload.
        var signed = await CallAsync(bob, "SignParts", new { name, uploadId = aliceUpload, firstPart = 1, lastPart = 1 });
        signed.Status.Should().Be(200, signed.Body);
        using (var urls = JsonDocument.Parse(signed.Body))
        {
            var url = urls.RootElement[0].GetProperty("url").GetString()!;
            var put = await bob.EvaluateAsync<int>("async url => (await fetch(url, { method: 'PUT', body: new Blob([new Uint8Array(1024)]) })).status", url);
            put.Should().Be(404, "NoSuchUpload: alice's upload id is not an upload of bob's key");
        }

        (await StoredPartsAsync(alice, name, aliceUpload)).Should().Be(0, "bob put nothing into alice's upload");
        // A key is never taken from the client: a name that spells alice's folder is refused as a name.
        var asKey = await CallAsync(bob, "AbortUpload", new { name = $"private/us-east-1:00000000-0000-4000-8000-000000000000/{name}", uploadId = aliceUpload });
        asKey.Status.Should().Be(400, asKey.Body);

        // Alice's upload is untouched and hers to cancel.
        (await CallAsync(alice, "ListParts", new { name, uploadId = aliceUpload })).Status.Should().Be(200);
        (await CallAsync(alice, "AbortUpload", new { name, uploadId = aliceUpload })).Status.Should().Be(204);
    }

    private async Task<(IBrowserContext Context, IPage Page)> SignedInAsync(LocalUser user)
    {
        var context = await Browser.NewContextAsync();
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await SignInAsync(page, user, "/Files");
        return (context, page);
    }
}
