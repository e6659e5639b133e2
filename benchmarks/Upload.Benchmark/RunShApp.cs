using System.Diagnostics;
using CleanCognito.TestSupport;

namespace CleanCognito.Upload.Benchmark;

/// <summary>
/// The app as <c>./run.sh</c> starts it (its build, the stand-ins on 9001–9005, the app process on
/// <c>APP_URL</c>), or an app some <c>./run.sh</c> already serves; the app's process id for its CPU time.
/// </summary>
internal sealed class RunShApp : IAsyncDisposable
{
    private readonly Process? _runSh;

    private RunShApp(Uri url, int appPid, Process? runSh)
    {
        Url = url;
        AppPid = appPid;
        _runSh = runSh;
    }

    public Uri Url { get; }

    public int AppPid { get; }

    /// <summary>Starts <c>./run.sh</c> with <c>APP_URL=<paramref name="url"/></c> and waits (at most 10 minutes: it may build) until it says the app runs.</summary>
    public static async Task<RunShApp> StartAsync(Uri url, CancellationToken ct)
    {
        var start = new ProcessStartInfo("bash", ["./run.sh"])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["APP_URL"] = url.ToString().TrimEnd('/');
        var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            Log($"run.sh: {e.Data}");
            if (e.Data.Contains("CleanCognito is running", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Log($"run.sh (stderr): {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync(ct);
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromMinutes(10), ct));
        if (first != ready.Task)
        {
            Stop(process);
            throw new InvalidOperationException("./run.sh did not say the app runs within 10 minutes (see its lines above).");
        }

        return new RunShApp(url, FindAppPid(url), process);
    }

    /// <summary>An app that a <c>./run.sh</c> started already serves <paramref name="url"/>.</summary>
    public static RunShApp Attach(Uri url) => new(url, FindAppPid(url), null);

    public async ValueTask DisposeAsync()
    {
        if (_runSh is null)
        {
            return;
        }

        Stop(_runSh);
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _runSh.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            _runSh.Kill(entireProcessTree: true);
        }

        _runSh.Dispose();
    }

    /// <summary>run.sh stops the app and the stand-ins on SIGTERM (its trap); a kill would leave them running.</summary>
    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill?.WaitForExit();
        }
    }

    /// <summary>The <c>dotnet …CleanCognito.Web.dll … --urls URL</c> process run.sh started.</summary>
    private static int FindAppPid(Uri url)
    {
        var address = url.ToString().TrimEnd('/');
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string[] args;
            try
            {
                args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            var urls = Array.IndexOf(args, "--urls");
            if (args.Any(a => a.EndsWith("CleanCognito.Web.dll", StringComparison.Ordinal)) && urls >= 0 && urls + 1 < args.Length && args[urls + 1].TrimEnd('/') == address)
            {
                return pid;
            }
        }

        throw new InvalidOperationException($"No CleanCognito.Web.dll process serves {address} (start it with ./run.sh, or let the harness start it).");
    }

    public static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
