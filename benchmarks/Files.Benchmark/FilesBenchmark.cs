using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using CleanCognito.TestSupport;

namespace CleanCognito.Files.Benchmark;

// GET /Files of two app instances on the same stand-ins, measured by wrk in alternating rounds:
//   A = the product as shipped (credential cache + S3 clients reused per identity);
//   B = flask-cognito-lib's pattern (GetId + GetCredentialsForIdentity + a new S3 client on every request).
// Prints a Markdown report on stdout; progress goes to stderr. See docs/BENCHMARKS.md.
internal static class FilesBenchmark
{
    private const int ReferenceSeconds = 5;

    public static async Task<int> Main(string[] args)
    {
        var settings = BenchmarkSettings.Parse(args);
        if (Wrk.Executable is null)
        {
            Console.Error.WriteLine("wrk is not installed (Debian/Ubuntu: apt-get install wrk).");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        // Ctrl-C or a plain kill: stop the current round, then clean up (finally below).
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var ct = stop.Token;
        var loadBefore = File.ReadAllText("/proc/loadavg").Trim();

        var stack = new LocalAwsStack();
        Log("starting the local AWS stand-ins");
        await stack.InitializeAsync();
        AppInstance? shipped = null;
        AppInstance? flaskCognitoLib = null;
        try
        {
            var appSettings = stack.AppSettings();
            shipped = new AppInstance("A: credential cache (as shipped)", appSettings, overrideServices: null);
            flaskCognitoLib = new AppInstance("B: flask-cognito-lib pattern (exchange + new client per request)", appSettings, FlaskCognitoLibPattern.Use);
            var variants = new[] { shipped, flaskCognitoLib };
            foreach (var app in variants)
            {
                Log($"{app.Name} listening on {app.Start()}");
            }

            // Sign alice into each instance through the hosted UI; upload files through A (both list the same prefix).
            var cookies = new Dictionary<AppInstance, string>();
            foreach (var app in variants)
            {
                using var session = new AppSession(app.BaseAddress);
                await session.SignInAsync(stack.Alice.Username, stack.Alice.Password, ct);
                if (app == shipped)
                {
                    for (var i = 1; i <= settings.Files; i++)
                    {
                        await session.UploadAsync($"benchmark-{i:00}.txt", Encoding.UTF8.GetBytes(new string('x', 100 * i)), ct);
                    }
                }

                cookies[app] = session.SessionCookieHeader;
            }

            // The exact request wrk sends must be a 200 listing the files, not a redirect to the sign-in page.
            using (var probe = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }))
            {
                foreach (var app in variants)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(app.BaseAddress, "/Files"));
                    request.Headers.Add("Cookie", cookies[app]);
                    using var response = await probe.SendAsync(request, ct);
                    var html = await response.Content.ReadAsStringAsync(ct);
                    var listed = Enumerable.Range(1, settings.Files).Count(i => html.Contains($"benchmark-{i:00}.txt", StringComparison.Ordinal));
                    if (response.StatusCode != HttpStatusCode.OK || listed != settings.Files)
                    {
                        throw new InvalidOperationException($"{app.Name}: GET /Files answered {(int)response.StatusCode} listing {listed} of {settings.Files} files; nothing to measure.");
                    }

                    Log($"{app.Name}: GET /Files = 200, {listed} files listed, {html.Length} bytes");
                }
            }

            using var stats = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            async Task<(long GetId, long GetCredentials)> ExchangesAsync()
            {
                using var json = JsonDocument.Parse(await stats.GetStringAsync(new Uri($"{stack.Identity}/_local/stats"), ct));
                long Count(string name) => json.RootElement.TryGetProperty(name, out var v) ? v.GetInt64() : 0;
                return (Count("GetId"), Count("GetCredentialsForIdentity"));
            }

            foreach (var app in variants)
            {
                Log($"warm-up {settings.WarmupSeconds} s: {app.Name}");
                await Wrk.RunAsync(new Uri(app.BaseAddress, "/Files"), cookies[app], settings, settings.WarmupSeconds, ct);
            }

            var results = variants.ToDictionary(v => v, _ => new List<WrkResult>());
            var exchanges = variants.ToDictionary(v => v, _ => (GetId: 0L, GetCredentials: 0L));
            for (var round = 1; round <= settings.Rounds; round++)
            {
                foreach (var app in variants)
                {
                    var before = await ExchangesAsync();
                    var result = await Wrk.RunAsync(new Uri(app.BaseAddress, "/Files"), cookies[app], settings, settings.Seconds, ct);
                    var after = await ExchangesAsync();
                    results[app].Add(result);
                    var (getId, getCredentials) = exchanges[app];
                    exchanges[app] = (getId + after.GetId - before.GetId, getCredentials + after.GetCredentials - before.GetCredentials);
                    Log($"round {round} {app.Name[..1]}: {result.RequestsPerSecond:0} req/s, p50 {Wrk.Ms(result.P50Us)} ms, p99 {Wrk.Ms(result.P99Us)} ms, non-200 {result.Non200}, socket errors {result.SocketErrors}, timeouts {result.Timeouts}");
                }
            }

            // Reference ceilings on the same machine (not part of the comparison): what moto alone
            // answers for the same listing (on its internal port, unsigned: behind the S3 front), and the app alone
            // with no upstream call at all.
            var references = new List<(string Name, WrkResult Result)>();
            foreach (var (name, url) in new[]
                     {
                         ("moto ListObjectsV2 alone (GET /{bucket}?list-type=2, no app)", new Uri($"{stack.Moto}/{stack.Bucket}?list-type=2")),
                         ("app A alone: GET /health/live (no upstream, no page)", new Uri(shipped.BaseAddress, "/health/live")),
                     })
            {
                Log($"reference {ReferenceSeconds} s: {name}");
                references.Add((name, await Wrk.RunAsync(url, cookies[shipped], settings, ReferenceSeconds, ct)));
            }

            var loadAfter = File.ReadAllText("/proc/loadavg").Trim();
            Console.WriteLine(Report.Markdown(settings, variants, results, exchanges, references, Environment.ProcessorCount, loadBefore, loadAfter));
            return results.Values.SelectMany(r => r).All(r => r.Clean) ? 0 : 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Log("stopped by a signal before the end; no report");
            return 130;
        }
        finally
        {
            foreach (var app in new[] { shipped, flaskCognitoLib })
            {
                if (app is not null)
                {
                    await app.DisposeAsync();
                }
            }

            await stack.DisposeAsync();
            Log("stopped the app instances and the stand-ins");
        }
    }

    private static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");
}
