// Direct uploads measured in Chromium against the real ./run.sh stack (issue 23, docs/BENCHMARKS.md):
//
//   M = a file through /Files as a user uploads it: upload.js, presigned parts, four at a time;
//   P = the same file in one presigned PutObject from the same page, through the same S3 front,
//       signed with the same user's identity-pool credentials;
//
// alternated in rounds (M P, P M, …), medians and their ratio; the app's CPU (utime + stime of the
// process run.sh started) per GiB through M; a resume after a reload half way (SHA-256 of the
// stored object, parts sent twice); N files at once.
//
//   dotnet run -c Release --project benchmarks/Upload.Benchmark -- [--mib 1024] [--rounds 3] [--files 8] [--file-mib 128] [--app http://127.0.0.1:5080]
//
// Without --app it starts ./run.sh itself (APP_URL on a free port) and stops it at the end.
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using CleanCognito.Benchmarks;
using CleanCognito.TestSupport;
using CleanCognito.Upload.Benchmark;
using Microsoft.Playwright;

var options = Options.Parse(args);
using var stop = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
{
    c.Cancel = true;
    stop.Cancel();
});
var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
if (!File.Exists(chromium))
{
    Console.Error.WriteLine($"Chromium is not at {chromium} (apt-get install -y chromium, or set CHROMIUM_PATH).");
    return 2;
}

const long MiB = 1024 * 1024;
var folder = Directory.CreateTempSubdirectory("cleancognito-upload-bench-").FullName;
var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
var started = DateTime.UtcNow;
try
{
    RunShApp.Log($"writing the test files in {folder}");
    var big = await TestFile.CreateAsync(folder, $"bench-{options.Mib}mib.bin", options.Mib * MiB, stop.Token);
    var resumed = await TestFile.CreateAsync(folder, $"bench-resume-{options.Mib}mib.bin", options.Mib * MiB, stop.Token);
    var many = new List<TestFile>();
    for (var i = 1; i <= options.Files; i++)
    {
        many.Add(await TestFile.CreateAsync(folder, $"bench-many-{i}-of-{options.Files}.bin", options.FileMib * MiB, stop.Token));
    }

    var settings = LocalSettings.Read();
    await using var app = options.App is { } running ? RunShApp.Attach(running) : await RunShApp.StartAsync(new Uri($"http://127.0.0.1:{FreePort.Pick()}"), stop.Token);
    RunShApp.Log($"app {app.Url} (pid {app.AppPid})");

    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    await using var context = await browser.NewContextAsync();
    context.SetDefaultTimeout(60_000);
    var page = await context.NewPageAsync();
    await page.GotoAsync(new Uri(app.Url, "/Files").ToString());
    await page.FillAsync("input[name=username]:visible", "alice");
    await page.FillAsync("input[name=password]:visible", "Alice-Passw0rd!");
    await page.ClickAsync("[type=submit]:visible");
    await page.WaitForURLAsync(new Uri(app.Url, "/Files").ToString());
    using var storage = await UserStorage.ForAsync(context, app.Url, settings);
    var s3Prefix = new Uri(settings.S3Service, settings.Bucket).ToString();

    // Warm-up, not counted: the first uploads compile the app's code paths (JIT, then tiered
    // recompilation after 30 calls: a cold app spent 2.5 s of CPU on its first GiB, a warm one 0.2 s).
    var warm = await TestFile.CreateAsync(folder, "bench-warm-up.bin", 256 * MiB, stop.Token);
    await BrowserUploads.PageUploadAsync(page, app.Url, warm, () => ProcessCpu.Of(app.AppPid));
    await BrowserUploads.DirectPutAsync(page, app.Url, warm, await storage.PresignPutAsync("bench-warm-up-direct.bin", TimeSpan.FromHours(1)), () => ProcessCpu.Of(app.AppPid));
    RunShApp.Log("warmed up");

    // Rounds: M then P, then P then M, … (each variant first as often as second).
    var pageTimes = new List<double>();
    var putTimes = new List<double>();
    var cpuSeconds = new List<double>();
    var partsSeconds = new List<double>();
    var partsCpuSeconds = new List<double>();
    var idleCpuSeconds = new List<double>();
    var directName = $"bench-direct-{options.Mib}mib.bin";
    for (var round = 1; round <= options.Rounds; round++)
    {
        foreach (var variant in round % 2 == 1 ? "MP" : "PM")
        {
            stop.Token.ThrowIfCancellationRequested();
            if (variant == 'M')
            {
                var (elapsed, cpu, partsSent, partsCpu) = await BrowserUploads.PageUploadAsync(page, app.Url, big, () => ProcessCpu.Of(app.AppPid));
                pageTimes.Add(elapsed.TotalSeconds);
                partsSeconds.Add(partsSent.TotalSeconds);
                partsCpuSeconds.Add(partsCpu.TotalSeconds);
                cpuSeconds.Add(cpu.TotalSeconds);
                RunShApp.Log($"round {round} M: {elapsed.TotalSeconds:F2} s, {options.Mib / elapsed.TotalSeconds:F1} MiB/s, app CPU {cpu.TotalSeconds:F2} s ({partsCpu.TotalSeconds:F2} s until the completion); parts sent at {partsSent.TotalSeconds:F2} s, then the completion");
            }
            else
            {
                var url = await storage.PresignPutAsync(directName, TimeSpan.FromHours(1));
                var (elapsed, idle) = await BrowserUploads.DirectPutAsync(page, app.Url, big, url, () => ProcessCpu.Of(app.AppPid));
                putTimes.Add(elapsed.TotalSeconds);
                idleCpuSeconds.Add(idle.TotalSeconds / elapsed.TotalSeconds);
                RunShApp.Log($"round {round} P: {elapsed.TotalSeconds:F2} s, {options.Mib / elapsed.TotalSeconds:F1} MiB/s, app CPU meanwhile {idle.TotalSeconds:F2} s");
            }
        }
    }

    var pageStored = (await storage.HashAsync(big.Name, stop.Token)).SequenceEqual(big.Sha256);
    var putStored = (await storage.HashAsync(directName, stop.Token)).SequenceEqual(big.Sha256);

    RunShApp.Log("resume after a reload half way");
    var resume = await BrowserUploads.ResumeAfterReloadAsync(page, app.Url, resumed, s3Prefix);
    var resumeEqual = (await storage.HashAsync(resumed.Name, stop.Token)).SequenceEqual(resumed.Sha256);
    RunShApp.Log($"resume: {resume}, SHA-256 equal: {resumeEqual}");

    RunShApp.Log($"{options.Files} files at once");
    var manyCpuBefore = ProcessCpu.Of(app.AppPid);
    var manyElapsed = await BrowserUploads.ManyAtOnceAsync(page, app.Url, many);
    var manyCpu = ProcessCpu.Of(app.AppPid) - manyCpuBefore;
    var manyEqual = 0;
    foreach (var file in many)
    {
        manyEqual += (await storage.HashAsync(file.Name, stop.Token)).SequenceEqual(file.Sha256) ? 1 : 0;
    }

    var loadAfter = File.ReadAllText("/proc/loadavg").Trim();
    var m = Rounds.Median(pageTimes);
    var p = Rounds.Median(putTimes);
    var cpuPerGiB = Rounds.Median(cpuSeconds) / (options.Mib / 1024.0);
    var manyMib = options.Files * options.FileMib;
    var report = new StringBuilder();
    var c = CultureInfo.InvariantCulture;
    report.AppendLine(c, $"Run {started:yyyy-MM-dd HH:mm}–{DateTime.UtcNow:HH:mm} UTC, app {app.Url} (pid {app.AppPid}), {options.Rounds} rounds of {options.Mib} MiB, alternating.");
    report.AppendLine();
    report.AppendLine("| | per round, s | median s | median MiB/s |");
    report.AppendLine("|---|---|---:|---:|");
    report.AppendLine(c, $"| M: the page's multipart upload (click → completed) | {string.Join(", ", pageTimes.Select(t => t.ToString("F2", c)))} | {m:F2} | {options.Mib / m:F1} |");
    report.AppendLine(c, $"| P: one presigned PUT from the page (send → 200) | {string.Join(", ", putTimes.Select(t => t.ToString("F2", c)))} | {p:F2} | {options.Mib / p:F1} |");
    report.AppendLine();
    report.AppendLine(c, $"- M's parts were all stored at {string.Join(", ", partsSeconds.Select(t => t.ToString("F2", c)))} s (the completion asked for); the rest of M is CompleteMultipartUpload, moto joining the parts.");
    report.AppendLine(c, $"- **M/P throughput: {p / m * 100:F1} %** (median of P time / median of M time; goal ≥ 90 %). Stored objects' SHA-256 equal the file's: M {pageStored}, P {putStored}.");
    report.AppendLine(c, $"- **App CPU per GiB through M: {cpuPerGiB:F3} s** (median over rounds; per round {string.Join(", ", cpuSeconds.Select(s => s.ToString("F2", c)))} s for {options.Mib} MiB, click → completed; goal ≤ 1 s). Of it until the completion was asked for (StartUpload, SignParts): {string.Join(", ", partsCpuSeconds.Select(s => s.ToString("F2", c)))} s. During P, which the app takes no part in, it used {Rounds.Median(idleCpuSeconds) * 1000:F0} ms CPU per second.");
    report.AppendLine(c, $"- **Resume after a reload half way** ({resumed.Size / MiB} MiB, {resume.Parts} parts): reload asked for at {resume.StoredAtReload} parts stored, {resume.StoredBeforeResume} in the bucket by ListParts after it, {resume.SentAfterReload} sent after it; stored parts sent again: **{resume.StoredAndSentAgain}**; parts in flight when the reload cut them, sent again whole: {resume.CutAndSentAgain}; SHA-256 equal: **{resumeEqual}**.");
    report.AppendLine(c, $"- **{options.Files} files of {options.FileMib} MiB at once**: {manyElapsed.TotalSeconds:F2} s for {manyMib} MiB = {manyMib / manyElapsed.TotalSeconds:F1} MiB/s; completed {options.Files}/{options.Files}, SHA-256 equal {manyEqual}/{options.Files}; app CPU {manyCpu.TotalSeconds:F2} s.");
    report.AppendLine(c, $"- nproc {Environment.ProcessorCount}; /proc/loadavg before: `{loadBefore}`, after: `{loadAfter}`.");
    Console.WriteLine(report.ToString());
    return pageStored && putStored && resumeEqual && manyEqual == options.Files ? 0 : 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    RunShApp.Log("stopped by Ctrl-C; no report");
    return 130;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

/// <summary>The harness's options, each bounded.</summary>
internal sealed record Options(int Mib, int Rounds, int Files, int FileMib, Uri? App)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Number(string name, int fallback, int max) => Math.Clamp(Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback, 1, max);
        return new Options(
            Number("--mib", 1024, 5 * 1024),
            Number("--rounds", 3, 10),
            Number("--files", 8, 16),
            Number("--file-mib", 128, 1024),
            Value("--app") is { } app ? new Uri(app) : null);
    }
}
