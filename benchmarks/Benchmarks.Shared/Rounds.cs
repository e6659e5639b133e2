using System.Diagnostics;
using System.Globalization;

namespace CleanCognito.Benchmarks;

/// <summary>One target's round: wrk's numbers, the serving app process's CPU per request (app targets), and counter deltas.</summary>
public sealed record RoundResult(WrkResult Wrk, double? CpuMsPerRequest, IReadOnlyDictionary<string, long> Counters)
{
    /// <summary>Managed bytes this process allocated during the round / requests (in-process targets).</summary>
    public double? AllocatedKbPerRequest { get; init; }
}

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
        // In passes, each target in turn, as in the rounds: every pass opens new connections (wrk's to
        // the app, the app's to its upstream once the idle ones were closed), so the code that runs
        // only per connection is called often enough to be recompiled optimized now, not mid-round.
        for (var pass = 1; pass <= WarmupPasses; pass++)
        {
            foreach (var target in targets)
            {
                var seconds = Math.Max(1, settings.WarmupSeconds / WarmupPasses);
                Log($"warm-up pass {pass}/{WarmupPasses}, {seconds} s: {target.Name}");
                await Wrk.RunAsync(target, settings, seconds, cancellationToken);
            }
        }

        // After the warm-up the runtime is still compiling the hot methods again, optimized (tiered
        // compilation): on a busy machine that takes a minute and would be charged to the first
        // rounds. Wait (bounded) until this process and every app process are quiet at rest.
        for (var window = 1; ; window++)
        {
            IdleCpuMsPerSecond = await IdleCpuAsync(ProcessCpu, cancellationToken);
            var apps = new List<double>();
            foreach (var cpu in targets.Select(t => t.Cpu).OfType<AppCpu>().Where(c => !c.InThisProcess))
            {
                apps.Add(await IdleCpuAsync(cpu.Clock, cancellationToken));
            }

            Log($"this process at rest: {IdleCpuMsPerSecond:0.0} ms CPU per second" + string.Concat(apps.Select(a => $"; an app process: {a:0.0}")));
            if ((IdleCpuMsPerSecond < QuietMsPerSecond && apps.All(a => a < QuietMsPerSecond)) || window == 24)
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
                var clock = target.Cpu?.Clock ?? ProcessCpu;
                var cpuBefore = clock();
                var allocatedBefore = GC.GetTotalAllocatedBytes();
                var wrk = await Wrk.RunAsync(target, settings, settings.Seconds, cancellationToken);
                var cpu = clock() - cpuBefore;
                var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
                var after = counters is null ? null : await counters(cancellationToken);
                var deltas = after?.ToDictionary(c => c.Key, c => c.Value - before!.GetValueOrDefault(c.Key)) ?? [];
                double? cpuPerRequest = target.IsApp && wrk.Requests > 0 ? cpu.TotalMilliseconds / wrk.Requests : null;
                double? kbPerRequest = target.Cpu is { InThisProcess: true } && wrk.Requests > 0 ? allocated / 1024.0 / wrk.Requests : null;
                results[target].Add(new RoundResult(wrk, cpuPerRequest, deltas) { AllocatedKbPerRequest = kbPerRequest });
                Log($"round {round} {target.Letter}: {wrk.RequestsPerSecond:0} req/s, p50 {Wrk.Ms(wrk.P50Us)} ms, p99 {Wrk.Ms(wrk.P99Us)} ms"
                    + (cpuPerRequest is { } c ? $", CPU {c:0.000} ms/req" : string.Empty)
                    + (kbPerRequest is { } kb ? $", {kb:0.0} KB/req" : string.Empty)
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

    /// <summary>The runtime recompiles a method optimized after 30 calls: four passes of 16 connections pass that.</summary>
    private const int WarmupPasses = 4;

    /// <summary>At rest below this, the optimizing recompilation is done (the runtime's timers use a few ms per second).</summary>
    private const double QuietMsPerSecond = 30;

    private static async Task<double> IdleCpuAsync(Func<TimeSpan> cpu, CancellationToken cancellationToken)
    {
        var before = cpu();
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        return (cpu() - before).TotalMilliseconds / clock.Elapsed.TotalSeconds;
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
