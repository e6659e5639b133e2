using System.Globalization;
using System.Runtime.InteropServices;

namespace CleanCognito.TokenCheck.Benchmark;

/// <summary>
/// The same four checks timed by the CPU time of the thread that runs them (getrusage
/// RUSAGE_THREAD), not by the wall clock: on a machine shared with other busy processes a wall-clock
/// microbenchmark measures the waiting for a core too, the thread's own CPU time does not.
/// <c>dotnet run -c Release --project benchmarks/TokenCheck.Benchmark -- cpu</c>
/// </summary>
internal static partial class ThreadCpu
{
    private const int RusageThread = 1;

    public static async Task RunAsync()
    {
        var benchmarks = new CookiePairBenchmarks();
        await benchmarks.SetUp();
        var cases = new (string Name, int Operations, Func<Task> Run)[]
        {
            ("pair: validated in full (cache off)", 2_000, benchmarks.PairCold),
            ("pair: kept by hash (cache hit)", 200_000, benchmarks.PairKept),
            ("request: Cookie header parsed only (the framework's part)", 200_000, () => Task.FromResult(benchmarks.RequestCookiesOnly())),
            ("request: Cookie header parsed, then validated in full", 2_000, benchmarks.RequestCold),
            ("request: Cookie header parsed, then kept by hash", 200_000, benchmarks.RequestKept),
        };

        Console.WriteLine("| check | operations | median CPU µs/op (5 runs) | min–max | allocated B/op |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (name, operations, run) in cases)
        {
            // One warm-up run so the measured runs use optimized code.
            await Measure(run, operations);
            var samples = new List<(double Microseconds, double Bytes)>();
            for (var i = 0; i < 5; i++)
            {
                samples.Add(await Measure(run, operations));
            }

            var sorted = samples.Select(s => s.Microseconds).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {operations} | {sorted[2]:0.00} | {sorted[0]:0.00}–{sorted[4]:0.00} | {samples.Select(s => s.Bytes).Order().ElementAt(2):0} |"));
        }
    }

    private static async Task<(double Microseconds, double Bytes)> Measure(Func<Task> run, int operations)
    {
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var cpu = ThreadCpuMicroseconds();
        for (var i = 0; i < operations; i++)
        {
            // Every measured call completes synchronously (no I/O), so the loop stays on this thread.
            var task = run();
            if (!task.IsCompleted)
            {
                throw new InvalidOperationException("A measured check went asynchronous; its CPU would be charged to another thread.");
            }

            await task;
        }

        return ((ThreadCpuMicroseconds() - cpu) / operations, (GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)operations);
    }

    private static double ThreadCpuMicroseconds()
    {
        if (GetRusage(RusageThread, out var usage) != 0)
        {
            throw new InvalidOperationException("getrusage(RUSAGE_THREAD) failed (Linux only).");
        }

        return (usage.UserSeconds * 1e6) + usage.UserMicroseconds + (usage.SystemSeconds * 1e6) + usage.SystemMicroseconds;
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRusage(int who, out Rusage usage);

    /// <summary>The leading fields of Linux's struct rusage (x86-64/arm64: two timevals, then 14 longs).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxRss;
        public long IxRss;
        public long IdRss;
        public long IsRss;
        public long MinFlt;
        public long MajFlt;
        public long NSwap;
        public long InBlock;
        public long OuBlock;
        public long MsgSnd;
        public long MsgRcv;
        public long NSignals;
        public long NVcsw;
        public long NIvcsw;
    }
}
