using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Files;

/// <summary>What the direct-upload tests do and watch on /Files: the part PUTs, the page's JSON handlers, a download's hash.</summary>
internal static class UploadPage
{
    public const int MiB = 1024 * 1024;

    public static FilePayload Payload(string name, byte[] bytes) =>
        new() { Name = name, MimeType = "application/octet-stream", Buffer = bytes };

    /// <summary>Part PUTs the bucket (at <paramref name="s3"/>) answered with 200, from now on (the app is never sent a part).</summary>
    public static List<string> CountPartPuts(IPage page, string s3)
    {
        var puts = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Request.Method == "PUT" && response.Url.StartsWith(s3, StringComparison.Ordinal) && response.Status == 200)
            {
                lock (puts)
                {
                    puts.Add(response.Url);
                }
            }
        };
        return puts;
    }

    public static int CountOf(List<string> puts)
    {
        lock (puts)
        {
            return puts.Count;
        }
    }

    public static Task<string> CaptureUploadId(IPage page) =>
        page.WaitForResponseAsync(r => r.Url.Contains("handler=StartUpload", StringComparison.Ordinal))
            .ContinueWith(async t =>
            {
                using var json = JsonDocument.Parse(await t.Result.TextAsync());
                return json.RootElement.GetProperty("uploadId").GetString()!;
            }, TaskScheduler.Default).Unwrap();

    /// <summary>One of the page's JSON handlers, called as upload.js calls it (antiforgery header from the page).</summary>
    public static async Task<(int Status, string Body)> CallAsync(IPage page, string handler, object body)
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

    /// <summary>The parts the bucket holds for the user's upload, as ListParts answers (null when it answers otherwise).</summary>
    public static async Task<int?> StoredPartsAsync(IPage page, string name, string uploadId)
    {
        var (status, body) = await CallAsync(page, "ListParts", new { name, uploadId });
        if (status != 200)
        {
            return null;
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetArrayLength();
    }

    /// <summary>The SHA-256 of the stored file, downloaded through the list's link.</summary>
    public static async Task<byte[]> DownloadAsync(IBrowserContext context, IPage page, string baseUrl, string name)
    {
        var href = await page.GetAttributeAsync($"tr[data-name=\"{name}\"] td a", "href");
        var download = await context.APIRequest.GetAsync($"{baseUrl}{href}");
        download.Status.Should().Be(200);
        return SHA256.HashData(await download.BodyAsync());
    }
}
