using System.Diagnostics;
using System.Threading.Channels;

namespace CleanCognito.TestSupport;

/// <summary>
/// The built app as a real process (<c>dotnet CleanCognito.Web.dll</c> from the test's output folder,
/// as the image's ENTRYPOINT runs it), for what only a process shows: exit codes, stderr, console
/// lines, coming up with a given environment.
/// </summary>
public sealed class BuiltAppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();

    private BuiltAppProcess(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
        _ = PumpStdoutAsync();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>User + system CPU time the app has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The app's resident set size, in bytes.</summary>
    public long ResidentBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>
    /// Starts the app with nothing from the test run's own environment that could configure it
    /// (AWS_*, ASPNETCORE_*, DOTNET_ENVIRONMENT, section__key): only <paramref name="environment"/>.
    /// </summary>
    public static BuiltAppProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartBuild(Path.Combine(AppContext.BaseDirectory, "CleanCognito.Web.dll"), environment, arguments);

    /// <summary>As <see cref="Start"/>, for the build at <paramref name="appDll"/> (the benchmarks compare two builds side by side).</summary>
    public static BuiltAppProcess StartBuild(string appDll, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(appDll))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.GetFullPath(appDll));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("AWS_", StringComparison.Ordinal) || name.Contains("__", StringComparison.Ordinal)
                || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal))
            {
                start.Environment.Remove(name);
            }
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new BuiltAppProcess(Process.Start(start)!);
    }

    /// <summary>Waits for the app to exit by itself; kills it and throws after <paramref name="timeout"/>.</summary>
    public async Task<(int ExitCode, string Stderr)> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            await StopAsync();
            throw new TimeoutException($"The app did not exit within {timeout.TotalSeconds} s. stderr: {await _stderr}");
        }

        return (_process.ExitCode, await _stderr);
    }

    /// <summary>The first stdout line that <paramref name="matches"/>, or null when the app exits first.</summary>
    public async Task<string?> WaitForOutputLineAsync(Func<string, bool> matches, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var line in _stdout.Reader.ReadAllAsync(deadline.Token))
            {
                if (matches(line))
                {
                    return line;
                }
            }

            return null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The app wrote no such line within {timeout.TotalSeconds} s.");
        }
    }

    /// <summary>What the app wrote to stderr, once it has exited.</summary>
    public Task<string> StderrAsync() => _stderr;

    /// <summary>Kills the app (and anything it started) if it still runs, and waits for it to go.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    /// <summary>Reads stdout as it comes, so a chatty app never blocks on a full pipe.</summary>
    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                _stdout.Writer.TryWrite(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // the process was disposed while its output was still being read: nothing more to come
        }
        finally
        {
            _stdout.Writer.TryComplete();
        }
    }
}
