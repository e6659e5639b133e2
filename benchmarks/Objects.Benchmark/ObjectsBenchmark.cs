using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CleanCognito.Benchmarks;
using CleanCognito.Infrastructure.Cognito;
using CleanCognito.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CleanCognito.Objects.Benchmark;

// GET /Objects/{id} (one getMyObject query to AppSync) measured by wrk in alternating rounds:
//   A = this build, as shipped (its own process: the product's runtime settings);
//   O = another build or runtime setting, side by side (AppProcess.StartBaselineAsync: BENCHMARK_BASELINE_APP, BENCHMARK_BASELINE_ENV);
//   B = with `--cache-off 1`: this build validating both tokens in full every time (Cognito:ValidatedTokenCacheSize=0);
//   L, P = with `--layers 1`: A's /health/live and /Account/Profile (what the page costs without its AppSync call);
//   S = with `--fast-upstream 1`: this build against a recorded AppSync answer served in this process (its own limit);
//   F = the floor: the app's own AppSync call (same query, same access token) sent to the stand-in alone.
// `-- soak` instead: one instance, 1,000,000 requests, RSS after 10,000 and after 1,000,000.
// Prints a Markdown report on stdout; progress goes to stderr. See docs/BENCHMARKS.md.
internal static class ObjectsBenchmark
{
    /// <summary>alice's first seeded object (dev/local-aws seed data).</summary>
    private const string ObjectId = "1234567890abcdef";

    private const string ObjectName = "My first object";


    /// <summary>The GraphQL request the app's GetMyObject handler sends (same document, variables and operation).</summary>
    private static readonly string GetMyObjectBody = JsonSerializer.Serialize(new
    {
        query = "query GetMyObject($id: ID!) {\n  getMyObject(id: $id) { id name date }\n}",
        operationName = "GetMyObject",
        variables = new { id = ObjectId },
    });

    public static Task<int> Main(string[] args)
    {
        var soak = args.FirstOrDefault() == "soak";
        var settings = BenchmarkSettings.Parse(
            soak ? args[1..] : args,
            own: new Dictionary<string, int> { ["--cache-off"] = 0, ["--layers"] = 0, ["--fast-upstream"] = 0, ["--soak-requests"] = 1_000_000, ["--soak-chunk"] = 30, ["--soak-minutes"] = 60 },
            defaults: new Dictionary<string, int> { ["--connections"] = 16 });
        return BenchmarkHost.RunAsync((stack, ct) => soak ? SoakAsync(stack, settings, ct) : RoundsAsync(stack, settings, ct));
    }

    private static async Task<(string Markdown, bool Clean)> RoundsAsync(LocalAwsStack stack, BenchmarkSettings settings, CancellationToken ct)
    {
        var appSettings = stack.AppSettings();
        var apps = new List<AppProcess>();
        RecordedAppSync? recorded = null;
        try
        {
            apps.Add(await AppProcess.StartAsync("A: this build (validated tokens kept by hash)", AppProcess.ThisBuild, appSettings, ct));
            if (await AppProcess.StartBaselineAsync(appSettings, ct) is { } baseline)
            {
                apps.Add(baseline);
            }

            if (settings.Option("--cache-off", 1) == 1)
            {
                apps.Add(await AppProcess.StartAsync(
                    "B: this build validating both tokens in full on every request",
                    AppProcess.ThisBuild,
                    new Dictionary<string, string?>(appSettings) { [$"{CognitoOptions.SectionName}:{nameof(CognitoOptions.ValidatedTokenCacheSize)}"] = "0" },
                    ct));
            }

            var path = $"/Objects/{ObjectId}";
            var targets = new List<LoadTarget>();
            var sessions = new List<AppSession>();
            foreach (var app in apps)
            {
                Rounds.Log($"{app.Name} listening on {app.BaseAddress}");
                var session = await SignedInAsync(app.Name, app.BaseAddress, stack, path, ct);
                sessions.Add(session);
                targets.Add(new LoadTarget(app.Name, new Uri(app.BaseAddress, path), app.Cpu, session.CookieHeader));
            }

            if (settings.Option("--layers", 1) == 1)
            {
                // What the same process spends on less: the pipeline alone, and a signed-in Razor page
                // whose one upstream lookup is a cache hit. The difference to A is the AppSync call.
                targets.Add(new LoadTarget("L: GET /health/live on A (Kestrel and the middleware, no page)", new Uri(apps[0].BaseAddress, "/health/live"), apps[0].Cpu));
                targets.Add(new LoadTarget("P: GET /Account/Profile on A (the sign-in check and a Razor page; credentials from the cache)", new Uri(apps[0].BaseAddress, "/Account/Profile"), apps[0].Cpu, sessions[0].CookieHeader));
            }

            var floor = new LoadTarget(
                "F: AppSync stand-in alone (POST /graphql getMyObject, no app)",
                new Uri(stack.AppSync),
                Cpu: null,
                Method: "POST",
                Body: GetMyObjectBody,
                Headers: [("Authorization", sessions[0].Cookie("cognito_access_token")), ("Content-Type", "application/json")]);
            var recordedAnswer = await ProbeFloorAsync(floor, ct);
            if (settings.Option("--fast-upstream", 1) == 1)
            {
                // The same page with an upstream that is never the limit: the app's own work per request.
                recorded = await RecordedAppSync.StartAsync(recordedAnswer);
                var fast = await AppProcess.StartAsync(
                    "S: this build against a recorded AppSync answer (an in-process double: no token check, no resolver)",
                    AppProcess.ThisBuild,
                    new Dictionary<string, string?>(appSettings) { ["AppSync:Endpoint"] = recorded.Endpoint.ToString() },
                    ct);
                apps.Add(fast);
                Rounds.Log($"{fast.Name} listening on {fast.BaseAddress}");
                var session = await SignedInAsync(fast.Name, fast.BaseAddress, stack, path, ct);
                sessions.Add(session);
                targets.Add(new LoadTarget(fast.Name, new Uri(fast.BaseAddress, path), fast.Cpu, session.CookieHeader));
            }

            targets.Add(floor);

            var results = await Rounds.RunAsync(targets, settings, counters: null, ct);
            sessions.ForEach(s => s.Dispose());
            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"`GET {path}` (alice's object, one getMyObject query per request); each app instance is its own process.");
            report.AppendLine();
            report.Append(RoundsReport.Markdown(settings, targets, results, targets.Skip(1).Select(t => (targets[0], t)).ToList()));
            return (report.ToString(), results.Values.SelectMany(r => r).All(r => r.Wrk.Clean));
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }

            if (recorded is not null)
            {
                await recorded.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// RSS growth: one instance, requests until 10,000 (in 1 s wrk runs), RSS; then until
    /// <c>--soak-requests</c> (in <c>--soak-chunk</c> s runs) or <c>--soak-minutes</c>, RSS after each run.
    /// </summary>
    private static async Task<(string Markdown, bool Clean)> SoakAsync(LocalAwsStack stack, BenchmarkSettings settings, CancellationToken ct)
    {
        const string Path = "/Account/Profile";
        await using var app = new AppInstance("A: as shipped", stack.AppSettings(), overrideServices: null);
        Rounds.Log($"{app.Name} listening on {app.Start()}");
        using var session = await SignedInAsync(app.Name, app.BaseAddress, stack, Path, ct);
        var target = new LoadTarget(app.Name, new Uri(app.BaseAddress, Path), AppCpu.ThisProcess, session.CookieHeader);
        var tokens = app.Services.GetRequiredService<ValidatedTokenCache>();
        var total = settings.Option("--soak-requests", 10_000_000);
        // A bound in time too: on a busy machine 1,000,000 requests may take longer than anyone waits;
        // the table then says how far it got.
        var deadline = DateTime.UtcNow.AddMinutes(settings.Option("--soak-minutes", 600));
        var rows = new List<(long Requests, long Rss, long Heap, int Kept, bool Clean)>();
        long requests = 0;
        var clean = true;
        foreach (var (until, seconds) in new[] { (10_000L, 1), (total, settings.Option("--soak-chunk", 120)) })
        {
            while (requests < until && DateTime.UtcNow < deadline)
            {
                var run = await Wrk.RunAsync(target, settings, seconds, ct);
                requests += run.Requests;
                clean &= run.Clean;
                rows.Add((requests, Rounds.ResidentBytes(), GC.GetGCMemoryInfo().HeapSizeBytes, tokens.Count, run.Clean));
                Rounds.Log($"{requests} requests: RSS {rows[^1].Rss / 1048576.0:0.0} MB, GC heap {rows[^1].Heap / 1048576.0:0.0} MB, {run.RequestsPerSecond:0} req/s");
            }
        }

        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"Soak: `GET {Path}` (authenticated page, no upstream call), wrk -t{settings.Threads} -c{settings.Connections}, one instance in this process; RSS is this process's VmRSS after each wrk run.");
        text.AppendLine();
        text.AppendLine("| requests so far | RSS MB | GC heap MB | validated tokens kept | all 200 |");
        text.AppendLine("|---:|---:|---:|---:|---|");
        foreach (var row in rows)
        {
            text.AppendLine(c, $"| {row.Requests} | {row.Rss / 1048576.0:0.0} | {row.Heap / 1048576.0:0.0} | {row.Kept} | {(row.Clean ? "yes" : "no")} |");
        }

        var first = rows.First(r => r.Requests >= 10_000);
        text.AppendLine();
        text.AppendLine(c, $"RSS after {rows[^1].Requests} requests / RSS after {first.Requests}: **{(double)rows[^1].Rss / first.Rss:0.00}×**.");
        return (text.ToString(), clean);
    }

    /// <summary>alice signed in, and the exact request wrk will send answering 200 with her object (not a redirect to sign in).</summary>
    private static async Task<AppSession> SignedInAsync(string name, Uri baseAddress, LocalAwsStack stack, string path, CancellationToken ct)
    {
        var session = new AppSession(baseAddress);
        await session.SignInAsync(stack.Alice.Username, stack.Alice.Password, path, ct);
        var (status, html) = await session.GetAsync(path, ct);
        var expected = path.StartsWith("/Objects", StringComparison.Ordinal) ? ObjectName : stack.Alice.Username;
        if (status != HttpStatusCode.OK || !html.Contains(expected, StringComparison.Ordinal))
        {
            session.Dispose();
            throw new InvalidOperationException($"{name}: GET {path} answered {(int)status} without \"{expected}\"; nothing to measure.");
        }

        Rounds.Log($"{name}: GET {path} = 200, {html.Length} bytes");
        return session;
    }

    /// <summary>The floor's request must return alice's object too, or it measures an error path. Returns the answer.</summary>
    private static async Task<string> ProbeFloorAsync(LoadTarget floor, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Post, floor.Url) { Content = new StringContent(floor.Body!, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", floor.Headers![0].Value);
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains(ObjectName, StringComparison.Ordinal) || body.Contains("\"errors\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The AppSync stand-in answered {(int)response.StatusCode}: {body}");
        }

        Rounds.Log($"{floor.Name}: 200 with the object");
        return body;
    }
}
