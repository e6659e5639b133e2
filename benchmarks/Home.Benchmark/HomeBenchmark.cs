using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CleanCognito.Benchmarks;
using CleanCognito.TestSupport;

namespace CleanCognito.Home.Benchmark;

// GET / (the signed-in home page: AppSync's list, S3's list and DynamoDB's query) measured by wrk in
// alternating rounds, by default at one connection (latency, not throughput):
//   A = this build; O = another build side by side (AppProcess.StartBaselineAsync: BENCHMARK_BASELINE_APP);
//   U1–U3 = each upstream alone, with the request the page sends (no app):
//     G: the AppSync stand-in, listMyObjects(limit: 100) with alice's access token;
//     S: moto's ListObjectsV2 (up to 1000 keys), on its internal port behind the S3 front;
//     D: moto's DynamoDB Query on the notes table (up to 101 items), on the same port.
// The page's floor is its slowest upstream when the calls run together, their sum when they run one
// after another. Prints a Markdown report on stdout; progress goes to stderr. See docs/BENCHMARKS.md.
internal static class HomeBenchmark
{
    private static readonly string ListMyObjectsBody = JsonSerializer.Serialize(new
    {
        query = "query ListMyObjects($limit: Int, $nextToken: String) {\n  listMyObjects(limit: $limit, nextToken: $nextToken) { items { id name date } nextToken }\n}",
        operationName = "ListMyObjects",
        variables = new { limit = 100, nextToken = (string?)null },
    });

    public static Task<int> Main(string[] args)
    {
        var settings = BenchmarkSettings.Parse(
            args,
            defaults: new Dictionary<string, int> { ["--connections"] = 1, ["--threads"] = 1, ["--rounds"] = 4, ["--seconds"] = 5, ["--warmup"] = 10 });
        return BenchmarkHost.RunAsync((stack, ct) => RoundsAsync(stack, settings, ct));
    }

    private static async Task<(string Markdown, bool Clean)> RoundsAsync(LocalAwsStack stack, BenchmarkSettings settings, CancellationToken ct)
    {
        var appSettings = stack.AppSettings();
        var apps = new List<AppProcess>();
        try
        {
            apps.Add(await AppProcess.StartAsync("A: this build", AppProcess.ThisBuild, appSettings, ct));
            if (await AppProcess.StartBaselineAsync(appSettings, ct) is { } baseline)
            {
                apps.Add(baseline);
            }

            var targets = new List<LoadTarget>();
            var sessions = new List<AppSession>();
            foreach (var app in apps)
            {
                Rounds.Log($"{app.Name} listening on {app.BaseAddress}");
                var session = await SignedInAsync(app.Name, app.BaseAddress, stack, ct);
                sessions.Add(session);
                targets.Add(new LoadTarget(app.Name, new Uri(app.BaseAddress, "/"), app.Cpu, session.CookieHeader));
            }

            // moto reads the region from the credential scope; it does not check the signature
            // (the S3 front in front of it does, and is left out of these floors).
            var motoScope = $"AWS4-HMAC-SHA256 Credential=AKIDBENCHMARK/20260101/{stack.Region}/dynamodb/aws4_request, SignedHeaders=host, Signature=0";
            var upstreams = new List<LoadTarget>
            {
                new(
                    "G: AppSync stand-in alone (POST /graphql listMyObjects limit 100, no app)",
                    new Uri(stack.AppSync),
                    Cpu: null,
                    Method: "POST",
                    Body: ListMyObjectsBody,
                    Headers: [("Authorization", sessions[0].Cookie("cognito_access_token")), ("Content-Type", "application/json")]),
                new(
                    "S: moto ListObjectsV2 alone (GET /{bucket}?list-type=2, no app, no front)",
                    new Uri($"{stack.Moto}/{stack.Bucket}?list-type=2&max-keys=1000&prefix=private%2F"),
                    Cpu: null),
                new(
                    "D: moto DynamoDB Query alone (the notes table, Limit 101, no app, no front)",
                    new Uri($"{stack.Moto}/"),
                    Cpu: null,
                    Method: "POST",
                    Body: JsonSerializer.Serialize(new Dictionary<string, object>
                    {
                        ["TableName"] = stack.NotesTable,
                        ["KeyConditionExpression"] = "ownerId = :owner",
                        ["ExpressionAttributeValues"] = new Dictionary<string, object> { [":owner"] = new Dictionary<string, string> { ["S"] = "us-east-1:benchmark" } },
                        ["ScanIndexForward"] = false,
                        ["Limit"] = 101,
                    }),
                    Headers: [("X-Amz-Target", "DynamoDB_20120810.Query"), ("Content-Type", "application/x-amz-json-1.0"), ("Authorization", motoScope)]),
            };
            foreach (var upstream in upstreams)
            {
                await ProbeAsync(upstream, ct);
            }

            targets.AddRange(upstreams);
            var results = await Rounds.RunAsync(targets, settings, counters: null, ct);
            sessions.ForEach(s => s.Dispose());

            var c = CultureInfo.InvariantCulture;
            double P50(LoadTarget t) => Rounds.Median(results[t].Select(r => (double)r.Wrk.P50Us)) / 1000.0;
            var floors = upstreams.Select(P50).ToList();
            var report = new StringBuilder();
            report.AppendLine(c, $"`GET /` (alice's home page: three cards, three upstream calls); each app instance is its own process; wrk -t{settings.Threads} -c{settings.Connections}.");
            report.AppendLine();
            report.Append(RoundsReport.Markdown(settings, targets, results, targets.Skip(1).Select(t => (targets[0], t)).ToList()));
            report.AppendLine();
            var pages = string.Join("; ", apps.Select((a, i) => string.Create(c, $"{a.Name[..1]} **{P50(targets[i]):0.00} ms** ({P50(targets[i]) - floors.Max():+0.00;-0.00} ms over the slowest)")));
            report.AppendLine(c, $"Median p50: slowest upstream alone **{floors.Max():0.00} ms**, the three summed **{floors.Sum():0.00} ms**; {pages}.");
            return (report.ToString(), results.Values.SelectMany(r => r).All(r => r.Wrk.Clean));
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>alice signed in, and the home page answering 200 with her three cards read (nothing "unavailable").</summary>
    private static async Task<AppSession> SignedInAsync(string name, Uri baseAddress, LocalAwsStack stack, CancellationToken ct)
    {
        var session = new AppSession(baseAddress);
        await session.SignInAsync(stack.Alice.Username, stack.Alice.Password, "/", ct);
        var (status, html) = await session.GetAsync("/", ct);
        if (status != HttpStatusCode.OK || !html.Contains("id=\"objects-count\"", StringComparison.Ordinal)
            || !html.Contains("id=\"files-count\"", StringComparison.Ordinal) || html.Contains("-unavailable\"", StringComparison.Ordinal))
        {
            session.Dispose();
            throw new InvalidOperationException($"{name}: GET / answered {(int)status} without all three cards; nothing to measure.");
        }

        Rounds.Log($"{name}: GET / = 200, {html.Length} bytes");
        return session;
    }

    /// <summary>The upstream answers 200 to exactly the request wrk will send.</summary>
    private static async Task ProbeAsync(LoadTarget target, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(new HttpMethod(target.Method), target.Url);
        if (target.Body is not null)
        {
            request.Content = new StringContent(target.Body, Encoding.UTF8);
            request.Content.Headers.Remove("Content-Type");
        }

        foreach (var (header, value) in target.Headers ?? [])
        {
            if (header == "Content-Type")
            {
                request.Content!.Headers.TryAddWithoutValidation(header, value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(header, value);
            }
        }

        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{target.Name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
    }
}
