using System.Runtime.InteropServices;
using CleanCognito.TestSupport;

namespace CleanCognito.Benchmarks;

/// <summary>
/// The frame of a harness run: checks wrk, starts the stand-ins (on free ports, exiting with this
/// process), stops everything on Ctrl-C or SIGTERM (exit 130), prints the harness's Markdown with the
/// machine's load before and after, and exits 1 when the harness saw any bad response.
/// </summary>
public static class BenchmarkHost
{
    /// <param name="body">The harness: its Markdown, and whether every response was as expected.</param>
    public static async Task<int> RunAsync(Func<LocalAwsStack, CancellationToken, Task<(string Markdown, bool Clean)>> body)
    {
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
        var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
        var stack = new LocalAwsStack();
        Rounds.Log("starting the local AWS stand-ins");
        await stack.InitializeAsync();
        try
        {
            var (markdown, clean) = await body(stack, stop.Token);
            var loadAfter = File.ReadAllText("/proc/loadavg").Trim();
            Console.WriteLine(markdown);
            Console.WriteLine($"nproc {Environment.ProcessorCount}; /proc/loadavg before: `{loadBefore}`, after: `{loadAfter}`.");
            return clean ? 0 : 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Rounds.Log("stopped by a signal before the end; no report");
            return 130;
        }
        finally
        {
            await stack.DisposeAsync();
            Rounds.Log("stopped the stand-ins");
        }
    }
}
