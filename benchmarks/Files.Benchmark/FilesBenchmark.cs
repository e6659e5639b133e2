using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Benchmarks;
using CleanCognito.Infrastructure.CognitoIdentity;
using CleanCognito.Infrastructure.Storage;
using CleanCognito.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace CleanCognito.Files.Benchmark;

// GET /Files of two app instances on the same stand-ins, and moto's ListObjectsV2 alone, measured by
// wrk in alternating rounds:
//   A = this build as shipped, in its own process (credential cache + S3 clients reused per identity);
//   O = another build or runtime setting, side by side (AppProcess.StartBaselineAsync: BENCHMARK_BASELINE_APP, BENCHMARK_BASELINE_ENV);
//   B = flask-cognito-lib's pattern (GetId + GetCredentialsForIdentity + a new S3 client on every request);
//   F = the floor: the same listing from moto alone (on its internal port, unsigned: behind the S3 front).
// Then a 20 MB upload, through the app and directly to the S3 stand-in, alternating.
// Prints a Markdown report on stdout; progress goes to stderr. See docs/BENCHMARKS.md.
internal static class FilesBenchmark
{

    public static Task<int> Main(string[] args)
    {
        var settings = BenchmarkSettings.Parse(args, own: new Dictionary<string, int>
        {
            ["--files"] = 5,
            ["--upload-mb"] = 20,
            ["--upload-rounds"] = 5,
        },
        defaults: new Dictionary<string, int> { ["--connections"] = 16 });
        return BenchmarkHost.RunAsync((stack, ct) => RunAsync(stack, settings, ct));
    }

    private static async Task<(string Markdown, bool Clean)> RunAsync(LocalAwsStack stack, BenchmarkSettings settings, CancellationToken ct)
    {
        var files = settings.Option("--files", 50);
        var appSettings = stack.AppSettings();
        await using var shipped = await AppProcess.StartAsync("A: credential cache (this build, as shipped)", AppProcess.ThisBuild, appSettings, ct);
        await using var baseline = await AppProcess.StartBaselineAsync(appSettings, ct);
        await using var flaskCognitoLib = new AppInstance("B: flask-cognito-lib pattern (exchange + new client per request)", appSettings, FlaskCognitoLibPattern.Use);
        flaskCognitoLib.Start();
        var apps = new List<(string Name, Uri BaseAddress, AppCpu Cpu)> { (shipped.Name, shipped.BaseAddress, shipped.Cpu) };
        if (baseline is not null)
        {
            apps.Add((baseline.Name, baseline.BaseAddress, baseline.Cpu));
        }

        apps.Add((flaskCognitoLib.Name, flaskCognitoLib.BaseAddress, AppCpu.ThisProcess));

        // Sign alice into each instance through the hosted UI; upload files through A (all list the same prefix).
        var sessions = new List<AppSession>();
        var targets = new List<LoadTarget>();
        foreach (var app in apps)
        {
            Rounds.Log($"{app.Name} listening on {app.BaseAddress}");
            var session = new AppSession(app.BaseAddress);
            sessions.Add(session);
            await session.SignInAsync(stack.Alice.Username, stack.Alice.Password, "/Files", ct);
            if (sessions.Count == 1)
            {
                for (var i = 1; i <= files; i++)
                {
                    await session.UploadAsync($"benchmark-{i:00}.txt", Encoding.UTF8.GetBytes(new string('x', 100 * i)), ct);
                }
            }

            // The exact request wrk sends must be a 200 listing the files, not a redirect to the sign-in page.
            var (status, html) = await session.GetAsync("/Files", ct);
            var listed = Enumerable.Range(1, files).Count(i => html.Contains($"benchmark-{i:00}.txt", StringComparison.Ordinal));
            if (status != HttpStatusCode.OK || listed != files)
            {
                throw new InvalidOperationException($"{app.Name}: GET /Files answered {(int)status} listing {listed} of {files} files; nothing to measure.");
            }

            Rounds.Log($"{app.Name}: GET /Files = 200, {listed} files listed, {html.Length} bytes");
            targets.Add(new LoadTarget(app.Name, new Uri(app.BaseAddress, "/Files"), app.Cpu, session.CookieHeader));
        }

        targets.Add(new LoadTarget("F: moto ListObjectsV2 alone (GET /{bucket}?list-type=2, no app)", new Uri($"{stack.Moto}/{stack.Bucket}?list-type=2"), Cpu: null));

        using var stats = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        async Task<IReadOnlyDictionary<string, long>> ExchangesAsync(CancellationToken cancellationToken)
        {
            using var json = JsonDocument.Parse(await stats.GetStringAsync(new Uri($"{stack.Identity}/_local/stats"), cancellationToken));
            long Count(string name) => json.RootElement.TryGetProperty(name, out var v) ? v.GetInt64() : 0;
            return new Dictionary<string, long> { ["GetId"] = Count("GetId"), ["GetCredentialsForIdentity"] = Count("GetCredentialsForIdentity") };
        }

        var results = await Rounds.RunAsync(targets, settings, ExchangesAsync, ct);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"`GET /Files` listing {files} files.");
        report.AppendLine();
        report.Append(RoundsReport.Markdown(settings, targets, results, targets.Skip(1).Select(t => (targets[0], t)).ToList()));
        report.AppendLine();
        report.Append(await UploadsAsync(stack, flaskCognitoLib.Services, sessions[0], settings, ct));
        sessions.ForEach(s => s.Dispose());

        return (report.ToString(), results.Values.SelectMany(r => r).All(r => r.Wrk.Clean));
    }

    /// <summary>
    /// The same bytes uploaded through the app (<c>POST /Files?handler=Stream</c>, which streams them
    /// to the S3 stand-in with one PutObject) and put directly to the S3 stand-in by the same SDK with
    /// alice's own credentials (what the app's PutObject does, without the app), alternating.
    /// </summary>
    /// <param name="services">An in-process instance's services: the product's own credential exchange and settings.</param>
    /// <param name="session">alice's session on the app under test (A).</param>
    private static async Task<string> UploadsAsync(LocalAwsStack stack, IServiceProvider services, AppSession session, BenchmarkSettings settings, CancellationToken ct)
    {
        var megabytes = settings.Option("--upload-mb", 200);
        var content = new byte[megabytes * 1024 * 1024];
        new Random(20).NextBytes(content);

        // alice's credentials, from the identity stand-in through the product's own exchange.
        var idToken = session.Cookie("cognito_id_token");
        var accessToken = session.Cookie("cognito_access_token");
        var id = new JsonWebToken(idToken);
        var tokens = new UserTokens(accessToken, idToken, stack.Issuer, id.Subject, new JsonWebToken(accessToken).ValidTo, id.ValidTo);
        var credentials = await new FlaskCognitoLibCredentials(services.GetRequiredService<ICredentialExchange>()).GetAsync(tokens, ct);
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        using var s3 = FlaskCognitoLibFileStore.NewClient(credentials, storage, services.GetRequiredService<IOptions<IdentityPoolOptions>>().Value);

        var viaApp = new List<double>();
        var direct = new List<double>();
        for (var round = 1; round <= settings.Option("--upload-rounds", 20); round++)
        {
            var throughApp = await session.UploadAsync("benchmark-upload.bin", content, ct);
            viaApp.Add(megabytes / throughApp.TotalSeconds);

            using var stream = new MemoryStream(content, writable: false);
            var request = new PutObjectRequest
            {
                BucketName = storage.BucketName,
                Key = $"private/{credentials.IdentityId}/benchmark-direct.bin",
                InputStream = stream,
                AutoCloseStream = false,
                ContentType = "application/octet-stream",
            };
            request.Headers.ContentLength = content.Length;
            var clock = Stopwatch.StartNew();
            await s3.PutObjectAsync(request, ct);
            direct.Add(megabytes / clock.Elapsed.TotalSeconds);
            Rounds.Log($"upload round {round}: through the app {viaApp[^1]:0.0} MB/s, direct PUT {direct[^1]:0.0} MB/s");
        }

        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"{megabytes} MB upload, {viaApp.Count} rounds alternating: through the app (`POST /Files?handler=Stream`) and a direct PutObject to the S3 stand-in (same SDK, alice's credentials).");
        text.AppendLine();
        text.AppendLine("| round | through the app MB/s | direct PUT MB/s | app/direct |");
        text.AppendLine("|---:|---:|---:|---:|");
        for (var i = 0; i < viaApp.Count; i++)
        {
            text.AppendLine(c, $"| {i + 1} | {viaApp[i]:0.0} | {direct[i]:0.0} | {viaApp[i] / direct[i]:0.00} |");
        }

        var ratios = viaApp.Zip(direct, (a, d) => a / d).ToArray();
        text.AppendLine();
        text.AppendLine(c, $"Medians: through the app **{Rounds.Median(viaApp):0.0} MB/s**, direct **{Rounds.Median(direct):0.0} MB/s**: app/direct **{Rounds.Median(viaApp) / Rounds.Median(direct):0.00}** (median of the per-round ratios {Rounds.Median(ratios):0.00}, range {ratios.Min():0.00}–{ratios.Max():0.00}).");
        return text.ToString();
    }
}
