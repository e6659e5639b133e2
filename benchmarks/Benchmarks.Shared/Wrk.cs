using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CleanCognito.Files.Benchmark;

/// <summary>One wrk run's numbers (latencies in microseconds), from report.lua's JSON line.</summary>
internal sealed record WrkResult(long Requests, double Seconds, long Non200, long SocketErrors, long Timeouts, long P50Us, long P90Us, long P99Us, long MaxUs)
{
    public double RequestsPerSecond => Requests / Seconds;

    /// <summary>True when every response was a 200 and no socket failed or timed out.</summary>
    public bool Clean => Non200 == 0 && SocketErrors == 0 && Timeouts == 0 && Requests > 0;
}

/// <summary>Runs <c>/usr/bin/wrk</c> (Debian package) against one URL for a bounded time.</summary>
internal static class Wrk
{
    private static readonly string[] Candidates = ["/usr/bin/wrk", "/usr/local/bin/wrk"];

    public static string? Executable => Candidates.FirstOrDefault(File.Exists);

    public static async Task<WrkResult> RunAsync(Uri url, string cookieHeader, BenchmarkSettings settings, int seconds, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("wrk is not installed: apt-get install wrk"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     $"-t{settings.Threads}", $"-c{settings.Connections}", $"-d{seconds}s", "--timeout", "5s",
                     "-s", Path.Combine(AppContext.BaseDirectory, "report.lua"),
                     "-H", $"Cookie: {cookieHeader}",
                     url.ToString(),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(seconds + 30));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        var output = await stdout;
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("WRK_JSON ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk exited {process.ExitCode} without its JSON line:\n{output}\n{await stderr}");
        using var json = JsonDocument.Parse(line["WRK_JSON ".Length..]);
        var root = json.RootElement;
        long Value(string name) => root.GetProperty(name).GetInt64();
        return new WrkResult(
            Value("requests"),
            Value("durationUs") / 1e6,
            Value("non200"),
            Value("connect") + Value("read") + Value("write"),
            Value("timeout"),
            Value("p50Us"),
            Value("p90Us"),
            Value("p99Us"),
            Value("maxUs"));
    }

    public static string Ms(double microseconds) => (microseconds / 1000).ToString("0.0", CultureInfo.InvariantCulture);
}
