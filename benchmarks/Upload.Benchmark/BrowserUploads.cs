using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CleanCognito.Upload.Benchmark;

/// <summary>What the harness does in the signed-in page: the page's own upload (upload.js), and one presigned PUT.</summary>
internal static partial class BrowserUploads
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(20);

    /// <summary>
    /// Through the page as a user does it (Replace ticked, so rounds may reuse the name): the time and
    /// the app's CPU (<paramref name="cpu"/>) from the click to the completion's answer, so neither
    /// page load around it counts.
    /// </summary>
    /// <returns>Also when the completion was asked for: the parts' share of the time, the rest is S3 joining them.</returns>
    public static async Task<(TimeSpan Elapsed, TimeSpan Cpu, TimeSpan PartsSent, TimeSpan PartsCpu)> PageUploadAsync(IPage page, Uri app, TestFile file, Func<TimeSpan> cpu)
    {
        await OpenFilesAsync(page, app);
        await page.SetInputFilesAsync("#file", file.Path);
        await page.CheckAsync("#overwrite");
        var completed = page.WaitForResponseAsync(r => r.Url.Contains("handler=CompleteUpload", StringComparison.Ordinal), new() { Timeout = (float)Patience.TotalMilliseconds });
        var cpuBefore = cpu();
        var clock = Stopwatch.StartNew();
        var partsSent = TimeSpan.Zero;
        var partsCpu = TimeSpan.Zero;
        void OnRequest(object? sender, IRequest request)
        {
            if (request.Url.Contains("handler=CompleteUpload", StringComparison.Ordinal))
            {
                partsSent = clock.Elapsed;
                partsCpu = cpu() - cpuBefore;
            }
        }

        page.Request += OnRequest;
        await page.ClickAsync("#upload-button");
        var answer = await completed;
        var elapsed = clock.Elapsed;
        var used = cpu() - cpuBefore;
        page.Request -= OnRequest;
        if (answer.Status != 200)
        {
            throw new InvalidOperationException($"Completing {file.Name} answered {answer.Status}: {await answer.TextAsync()}");
        }

        await WaitForListedAsync(page, file.Name);
        return (elapsed, used, partsSent, partsCpu);
    }

    /// <summary>One presigned PutObject of the whole file from the page (XHR, the bytes alone, as the parts go): send to answer.</summary>
    public static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> DirectPutAsync(IPage page, Uri app, TestFile file, string url, Func<TimeSpan> cpu)
    {
        await OpenFilesAsync(page, app);
        await page.SetInputFilesAsync("#file", file.Path);
        var cpuBefore = cpu();
        var clock = Stopwatch.StartNew();
        var result = await page.EvaluateAsync<JsonElement>("""
            url => new Promise((resolve) => {
              const file = document.getElementById('file').files[0];
              const xhr = new XMLHttpRequest();
              xhr.open('PUT', url);
              xhr.onload = () => resolve({ status: xhr.status, body: xhr.status === 200 ? '' : xhr.responseText });
              xhr.onerror = () => resolve({ status: 0, body: 'network error' });
              xhr.send(file.slice(0, file.size));
            })
            """, url);
        var elapsed = clock.Elapsed;
        var used = cpu() - cpuBefore;
        var status = result.GetProperty("status").GetInt32();
        if (status != 200)
        {
            throw new InvalidOperationException($"The direct PUT of {file.Name} answered {status}: {result.GetProperty("body").GetString()}");
        }

        return (elapsed, used);
    }

    /// <summary>
    /// Starts the page's upload, reloads the page once half the parts are stored, chooses the file
    /// again and lets it finish. Counts, by part number, what was sent before and after the reload.
    /// </summary>
    public static async Task<ResumeResult> ResumeAfterReloadAsync(IPage page, Uri app, TestFile file, string s3Prefix)
    {
        await OpenFilesAsync(page, app);
        var phase = 1;
        var requested = new[] { new HashSet<int>(), new HashSet<int>() };
        var stored = new[] { new HashSet<int>(), new HashSet<int>() };
        var gate = new object();
        page.Request += (_, request) =>
        {
            if (request.Method == "PUT" && request.Url.StartsWith(s3Prefix, StringComparison.Ordinal) && PartNumber(request.Url) is { } n)
            {
                lock (gate)
                {
                    requested[phase - 1].Add(n);
                }
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Request.Method == "PUT" && response.Status == 200 && PartNumber(response.Url) is { } n)
            {
                lock (gate)
                {
                    stored[phase - 1].Add(n);
                }
            }
            else if (response.Url.Contains("handler=ListParts", StringComparison.Ordinal))
            {
                // The page sends parts again only after this answer, and the browser reports events
                // in order: every PUT from here on is the resumed page's, every one before was not.
                lock (gate)
                {
                    phase = 2;
                }
            }
        };

        await page.SetInputFilesAsync("#file", file.Path);
        var started = page.WaitForResponseAsync(r => r.Url.Contains("handler=StartUpload", StringComparison.Ordinal));
        await page.ClickAsync("#upload-button");
        using var session = JsonDocument.Parse(await (await started).TextAsync());
        var partCount = session.RootElement.GetProperty("partCount").GetInt32();
        var deadline = Stopwatch.StartNew();
        while (Count(stored[0], gate) < partCount / 2)
        {
            if (deadline.Elapsed > Patience)
            {
                throw new TimeoutException("Half the parts were not stored in time.");
            }

            await Task.Delay(20);
        }

        int storedBefore;
        lock (gate)
        {
            storedBefore = stored[0].Count;
        }

        await page.ReloadAsync();
        await page.SetInputFilesAsync("#file", file.Path);
        var listed = page.WaitForResponseAsync(r => r.Url.Contains("handler=ListParts", StringComparison.Ordinal), new() { Timeout = 60_000 });
        var completed = page.WaitForResponseAsync(r => r.Url.Contains("handler=CompleteUpload", StringComparison.Ordinal), new() { Timeout = (float)Patience.TotalMilliseconds });
        await page.ClickAsync("#upload-button");
        int inBucket;
        using (var parts = JsonDocument.Parse(await (await listed).TextAsync()))
        {
            inBucket = parts.RootElement.GetArrayLength();
        }

        var answer = await completed;
        if (answer.Status != 200)
        {
            throw new InvalidOperationException($"Completing the resumed {file.Name} answered {answer.Status}: {await answer.TextAsync()}");
        }

        await WaitForListedAsync(page, file.Name);
        lock (gate)
        {
            // A part sent before the reload and again after it: stored already (its answer seen), or cut by the reload.
            var storedAgain = stored[0].Intersect(requested[1]).Count();
            var cutAndSentAgain = requested[0].Except(stored[0]).Intersect(requested[1]).Count();
            return new ResumeResult(partCount, storedBefore, inBucket, requested[1].Count, storedAgain, cutAndSentAgain);
        }
    }

    /// <summary>All files chosen at once: from the click to the last completion's answer.</summary>
    public static async Task<TimeSpan> ManyAtOnceAsync(IPage page, Uri app, IReadOnlyList<TestFile> files)
    {
        await OpenFilesAsync(page, app);
        await page.SetInputFilesAsync("#file", files.Select(f => f.Path));
        await page.CheckAsync("#overwrite");
        var done = 0;
        var failed = new List<string>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnResponse(object? sender, IResponse response)
        {
            if (!response.Url.Contains("handler=CompleteUpload", StringComparison.Ordinal))
            {
                return;
            }

            if (response.Status != 200)
            {
                lock (failed)
                {
                    failed.Add($"{response.Status}");
                }
            }

            if (Interlocked.Increment(ref done) == files.Count)
            {
                all.TrySetResult();
            }
        }

        page.Response += OnResponse;
        var clock = Stopwatch.StartNew();
        await page.ClickAsync("#upload-button");
        await all.Task.WaitAsync(Patience);
        var elapsed = clock.Elapsed;
        page.Response -= OnResponse;
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"{failed.Count} of {files.Count} completions failed: {string.Join(", ", failed)}");
        }

        foreach (var file in files)
        {
            await WaitForListedAsync(page, file.Name);
        }

        return elapsed;
    }

    private static async Task OpenFilesAsync(IPage page, Uri app)
    {
        await page.GotoAsync(new Uri(app, "/Files").ToString());
        await page.WaitForSelectorAsync("#upload-list", new() { State = WaitForSelectorState.Attached });
    }

    private static Task<IElementHandle?> WaitForListedAsync(IPage page, string name) =>
        page.WaitForSelectorAsync($"tr[data-name=\"{name}\"]", new() { Timeout = 60_000 });

    private static int Count(HashSet<int> set, object gate)
    {
        lock (gate)
        {
            return set.Count;
        }
    }

    private static int? PartNumber(string url) =>
        PartNumberQuery().Match(url) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex("[?&]partNumber=(\\d+)")]
    private static partial Regex PartNumberQuery();
}

/// <summary>
/// A resume after a reload: parts in all, stored when the reload was asked for, in the bucket as
/// ListParts told the page after the reload, sent after the reload, and sent twice (stored already /
/// cut by the reload).
/// </summary>
internal sealed record ResumeResult(int Parts, int StoredAtReload, int StoredBeforeResume, int SentAfterReload, int StoredAndSentAgain, int CutAndSentAgain);
