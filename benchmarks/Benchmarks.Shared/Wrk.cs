using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CleanCognito.Benchmarks;

/// <summary>One wrk run's numbers (latencies in microseconds), from report.lua's JSON line.</summary>
public sealed record WrkResult(long Requests, double Seconds, long Non200, long SocketErrors, long Timeouts, long P50Us, long P90Us, long P99Us, long MaxUs)
{
    public double RequestsPerSecond => Requests / Seconds;

    /// <summary>True when every response was a 200 and no socket failed or timed out.</summary>
    public bool Clean => Non200 == 0 && SocketErrors == 0 && Timeouts == 0 && Requests > 0;
}

/// <summary>
/// What wrk sends in a round: a GET with the session's cookies by default, or any method with a body
/// and headers (the stand-in floors: the upstream call the app makes, sent to the upstream alone).
/// <paramref name="Cpu"/>: the clock of the process serving it, when that is an app instance (null: an upstream alone).
/// </summary>
public sealed record LoadTarget(string Name, Uri Url, AppCpu? Cpu, string? Cookie = null, string Method = "GET", string? Body = null, IReadOnlyList<(string Name, string Value)>? Headers = null)
{
    /// <summary>The letter the tables use: the name's first character.</summary>
    public string Letter => Name[..1];

    public bool IsApp => Cpu is not null;
}

/// <summary>
/// Where an app target's CPU time is read: this process (an in-process instance; its allocations are
/// counted too) or the app's own process (the product as built, with its own runtime settings).
/// </summary>
public sealed record AppCpu(Func<TimeSpan> Clock, bool InThisProcess)
{
    public static readonly AppCpu ThisProcess = new(Rounds.ProcessCpu, InThisProcess: true);
}

/// <summary>Runs <c>/usr/bin/wrk</c> (Debian package) against one target for a bounded time.</summary>
public static class Wrk
{
    private static readonly string[] Candidates = ["/usr/bin/wrk", "/usr/local/bin/wrk"];

    public static string? Executable => Candidates.FirstOrDefault(File.Exists);

    public static async Task<WrkResult> RunAsync(LoadTarget target, BenchmarkSettings settings, int seconds, CancellationToken cancellationToken)
    {
        // report.lua reads the method and the body (from a file: wrk takes no body argument).
        string? bodyFile = null;
        if (target.Body is not null)
        {
            bodyFile = Path.GetTempFileName();
            await File.WriteAllTextAsync(bodyFile, target.Body, cancellationToken);
        }

        try
        {
            return await RunAsync(target, bodyFile, settings, seconds, cancellationToken);
        }
        finally
        {
            if (bodyFile is not null)
            {
                File.Delete(bodyFile);
            }
        }
    }

    private static async Task<WrkResult> RunAsync(LoadTarget target, string? bodyFile, BenchmarkSettings settings, int seconds, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("wrk is not installed: apt-get install wrk"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var arguments = new List<string>
        {
            $"-t{settings.Threads}", $"-c{settings.Connections}", $"-d{seconds}s", "--timeout", "5s",
            "-s", Path.Combine(AppContext.BaseDirectory, "report.lua"),
        };
        if (target.Cookie is not null)
        {
            arguments.AddRange(["-H", $"Cookie: {target.Cookie}"]);
        }

        foreach (var (name, value) in target.Headers ?? [])
        {
            arguments.AddRange(["-H", $"{name}: {value}"]);
        }

        arguments.AddRange([target.Url.ToString(), "--", target.Method]);
        if (bodyFile is not null)
        {
            arguments.Add(bodyFile);
        }

        foreach (var argument in arguments)
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
