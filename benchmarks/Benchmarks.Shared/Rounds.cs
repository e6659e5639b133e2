using System.Diagnostics;
using System.Globalization;

namespace CleanCognito.Benchmarks;

/// <summary>One target's round: wrk's numbers, this process's CPU per request (in-process targets), and counter deltas.</summary>
public sealed record RoundResult(WrkResult Wrk, double? CpuMsPerRequest, IReadOnlyDictionary<string, long> Counters);

/// <summary>
/// Warm-up on each target, then rounds in which every target is loaded once, in order (A, B, F, A, B,
/// F, …), so drift on a shared machine spreads over all of them alike. For a target served by an app
/// instance in this process, the process's CPU time during the round divided by the requests is the
/// app's CPU per request (wrk and the stand-ins are other processes; the idle instance costs little).
/// </summary>
public static class Rounds
{
    /// <param name="counters">Read before and after every round (e.g. a stand-in's call counters); each target is charged the difference.</param>
    public static async Task<IReadOnlyDictionary<LoadTarget, List<RoundResult>>> RunAsync(
        IReadOnlyList<LoadTarget> targets,
        BenchmarkSettings settings,
        Func<CancellationToken, Task<IReadOnlyDictionary<string, long>>>? counters,
        CancellationToken cancellationToken)
    {
        foreach (var target in targets)
        {
            Log($"warm-up {settings.WarmupSeconds} s: {target.Name}");
            await Wrk.RunAsync(target, settings, settings.WarmupSeconds, cancellationToken);
        }

        // After the warm-up the runtime is still compiling the hot methods again, optimized (tiered
        // compilation): on a busy machine that takes a minute and would be charged to the first
        // rounds. Wait (bounded) until this process is quiet at rest.
        for (var window = 1; ; window++)
        {
            IdleCpuMsPerSecond = await IdleCpuAsync(cancellationToken);
            Log($"this process at rest: {IdleCpuMsPerSecond:0.0} ms CPU per second");
            if (IdleCpuMsPerSecond < QuietMsPerSecond || window == 24)
            {
                break;
            }
        }

        var results = targets.ToDictionary(t => t, _ => new List<RoundResult>());
        for (var round = 1; round <= settings.Rounds; round++)
        {
            foreach (var target in targets)
            {
                var before = counters is null ? null : await counters(cancellationToken);
                var cpuBefore = ProcessCpu();
                var wrk = await Wrk.RunAsync(target, settings, settings.Seconds, cancellationToken);
                var cpu = ProcessCpu() - cpuBefore;
                var after = counters is null ? null : await counters(cancellationToken);
                var deltas = after?.ToDictionary(c => c.Key, c => c.Value - before!.GetValueOrDefault(c.Key)) ?? [];
                double? cpuPerRequest = target.InProcess && wrk.Requests > 0 ? cpu.TotalMilliseconds / wrk.Requests : null;
                results[target].Add(new RoundResult(wrk, cpuPerRequest, deltas));
                Log($"round {round} {target.Letter}: {wrk.RequestsPerSecond:0} req/s, p50 {Wrk.Ms(wrk.P50Us)} ms, p99 {Wrk.Ms(wrk.P99Us)} ms"
                    + (cpuPerRequest is { } c ? $", CPU {c:0.000} ms/req" : string.Empty)
                    + $", non-200 {wrk.Non200}, socket errors {wrk.SocketErrors}, timeouts {wrk.Timeouts}");
            }
        }

        return results;
    }

    /// <summary>
    /// CPU this process spends with no request at all (timers, the runtime's own threads), in ms per
    /// second, measured once before the rounds: it is part of every round's CPU, so the report says it.
    /// </summary>
    public static double IdleCpuMsPerSecond { get; private set; }

    /// <summary>At rest below this, the optimizing recompilation is done (the runtime's timers use a few ms per second).</summary>
    private const double QuietMsPerSecond = 30;

    private static async Task<double> IdleCpuAsync(CancellationToken cancellationToken)
    {
        var before = ProcessCpu();
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        return (ProcessCpu() - before).TotalMilliseconds / clock.Elapsed.TotalSeconds;
    }

    /// <summary>User + system CPU time of this process so far.</summary>
    public static TimeSpan ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>Resident set size of this process, in bytes (Linux: VmRSS).</summary>
    public static long ResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    public static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
