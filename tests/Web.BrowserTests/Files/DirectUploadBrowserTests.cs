using System.Security.Cryptography;
using System.Text.Json;
using CleanCognito.TestSupport;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Files;

/// <summary>
/// Direct uploads in Chromium: upload.js PUTs the parts straight to the S3 front (SigV4, IAM, CORS
/// from the template) through URLs the app signs; files of 6–16 MB so each has two parts or more.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class DirectUploadBrowserTests(LocalAwsStack stack) : LiveAppTest(stack)
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task Several_files_upload_at_once_in_parts_straight_to_the_bucket()
    {
        var (context, page) = await SignedInAsync(Stack.Alice);
        await using var _ = context;
        var puts = CountPartPuts(page);
        var first = ($"many-a-{Guid.NewGuid():N}.bin", RandomNumberGenerator.GetBytes((6 * MiB) + 1));
        var second = ($"many-b-{Guid.NewGuid():N}.bin", RandomNumberGenerator.GetBytes((7 * MiB) + 5));

        await page.SetInputFilesAsync("#file", new[] { Payload(first), Payload(second) });
        await page.ClickAsync("#upload-button");

        await page.WaitForSelectorAsync($"tr[data-name=\"{first.Item1}\"]");
        await page.WaitForSelectorAsync($"tr[data-name=\"{second.Item1}\"]");
        puts.Count.Should().Be(4, "two parts each, sent to the bucket, not the app");
        (await DownloadAsync(context, page, first.Item1)).Should().Equal(SHA256.HashData(first.Item2));
        (await DownloadAsync(context, page, second.Item1)).Should().Equal(SHA256.HashData(second.Item2));
    }

    [Fact]
    public async Task A_file_dropped_on_the_form_is_uploaded()
    {
        var (context, page) = await SignedInAsync(Stack.Alice);
        await using var _ = context;
        var name = $"dropped-{Guid.NewGuid():N}.bin";

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
            var puts = CountPartPuts(page);
            await page.SetInputFilesAsync("#file", path);
            await page.ClickAsync("#upload-button");

            await page.WaitForSelectorAsync($"tr[data-name=\"{name}\"]");
            puts.Count.Should().Be(2, "4 parts, 2 of them already in the bucket");
            (await DownloadAsync(context, page, name)).Should().Equal(SHA256.HashData(content));
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
        var puts = CountPartPuts(page);
        await page.ClickAsync("#replace-button");

        await page.WaitForSelectorAsync("#files-notice");
        puts.Should().BeEmpty("replace only completes the upload whose parts are already there");
        (await DownloadAsync(context, page, name)).Should().Equal(SHA256.HashData(second));
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

    private static FilePayload Payload((string Name, byte[] Bytes) file) =>
        new() { Name = file.Name, MimeType = "application/octet-stream", Buffer = file.Bytes };

    /// <summary>Part PUTs the bucket answered, from now on (the app is never sent a part).</summary>
    private List<string> CountPartPuts(IPage page)
    {
        var puts = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Request.Method == "PUT" && response.Url.StartsWith(Stack.S3, StringComparison.Ordinal) && response.Status == 200)
            {
                lock (puts)
                {
                    puts.Add(response.Url);
                }
            }
        };
        return puts;
    }

    private static Task<string> CaptureUploadId(IPage page) =>
        page.WaitForResponseAsync(r => r.Url.Contains("handler=StartUpload", StringComparison.Ordinal))
            .ContinueWith(async t =>
            {
                using var json = JsonDocument.Parse(await t.Result.TextAsync());
                return json.RootElement.GetProperty("uploadId").GetString()!;
            }, TaskScheduler.Default).Unwrap();

    /// <summary>One of the page's JSON handlers, called as upload.js calls it (antiforgery header from the page).</summary>
    private static async Task<(int Status, string Body)> CallAsync(IPage page, string handler, object body)
    {
        var result = await page.EvaluateAsync<JsonElement>("""
            async ([handler, body]) => {
              const token = document.querySelector('input[name="__RequestVerificationToken"]').value;
              const r = await fetch('/Files?handler=' + handler, { method: 'POST', headers: { 'Content-Type': 'application/json', 'RequestVerificationToken': token }, body: JSON.stringify(body) });
              return { status: r.status, body: await r.text() };
            }
            """, new object[] { handler, body });
        return (result.GetProperty("status").GetInt32(), result.GetProperty("body").GetString()!);
    }

    private async Task<byte[]> DownloadAsync(IBrowserContext context, IPage page, string name)
    {
        var href = await page.GetAttributeAsync($"tr[data-name=\"{name}\"] td a", "href");
        var download = await context.APIRequest.GetAsync($"{BaseUrl}{href}");
        download.Status.Should().Be(200);
        return SHA256.HashData(await download.BodyAsync());
    }
}
