using System.Diagnostics;
using System.Globalization;
using System.Text;
using CleanCognito.TestSupport;

namespace CleanCognito.Web.BrowserTests.Image;

/// <summary>
/// A container of the built image, run the way this machine can: <c>buildah from</c> and
/// <c>buildah run --isolation chroot --network host</c> (<c>podman run</c> fails on setrlimit in this
/// VM). The process is the image's ENTRYPOINT as its USER, with the given environment on top of the
/// image's own, as ECS gives a task's environment. Removed again on dispose.
/// </summary>
internal sealed class RunningContainer : IAsyncDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    private readonly BuiltImage _image;
    private readonly string _name;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private RunningContainer(BuiltImage image, string name, IReadOnlyDictionary<string, string> environment)
    {
        _image = image;
        _name = name;
        _environment = environment;
    }

    /// <summary>What the app wrote so far (stdout and stderr), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the app and waits (bounded) until <paramref name="liveUrl"/> answers 200.</summary>
    public static async Task<RunningContainer> StartAsync(BuiltImage image, IReadOnlyDictionary<string, string> environment, Uri liveUrl)
    {
        var name = $"cleancognito-image-test-{Guid.NewGuid():N}";
        await Command.RunCheckedAsync("buildah", ["from", "--pull-never", "--name", name, BuiltImage.Tag], ToolTimeout);
        var container = new RunningContainer(image, name, environment);
        try
        {
            container.Start();
            await container.WaitUntilLiveAsync(liveUrl);
            return container;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the image's HEALTHCHECK command inside the container, as Docker would, and returns its exit code.</summary>
    public async Task<Command.Result> RunHealthCheckAsync()
    {
        var test = _image.HealthCheck;
        IEnumerable<string> command = test switch
        {
            ["CMD-SHELL", var shell] => ["/bin/sh", "-c", shell],
            ["CMD", ..] => test.Skip(1),
            _ => throw new InvalidOperationException($"The image has no usable HEALTHCHECK (its test is [{string.Join(", ", test)}])."),
        };

        // The check's own timeout plus buildah's start-up.
        return await Command.RunAsync("buildah", [.. RunArguments(), .. command], _image.HealthCheckTimeout + TimeSpan.FromSeconds(20));
    }

    /// <summary>
    /// Stops the app (the container stays until dispose), as ECS stops a task: SIGTERM, which buildah
    /// passes on to the app, then SIGKILL to whatever is left. Killing buildah alone would orphan the
    /// app (buildah-chroot-exec survives its parent), hence the process list taken first.
    /// </summary>
    public async Task StopAppAsync()
    {
        if (_process is null)
        {
            return;
        }

        var tree = _process.HasExited ? [] : ProcessTree.Descendants(_process.Id);
        if (!_process.HasExited)
        {
            await Command.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)], ToolTimeout);
            using var grace = new CancellationTokenSource(StopGrace);
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }

        foreach (var pid in tree.Where(ProcessTree.IsAlive))
        {
            try
            {
                using var orphan = Process.GetProcessById(pid);
                orphan.Kill();
            }
            catch (ArgumentException)
            {
                // gone meanwhile
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAppAsync();
        _process?.Dispose();
        await Command.RunAsync("buildah", ["rm", _name], ToolTimeout);
    }

    private IEnumerable<string> RunArguments()
    {
        yield return "run";
        yield return "--isolation";
        yield return "chroot";
        yield return "--network";
        yield return "host";
        yield return "--user";
        yield return _image.User;
        foreach (var (key, value) in _environment)
        {
            yield return "--env";
            yield return $"{key}={value}";
        }

        yield return _name;
        yield return "--";
    }

    private void Start()
    {
        var start = new ProcessStartInfo("buildah")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in RunArguments().Concat(_image.Entrypoint))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilLiveAsync(Uri liveUrl)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        // A bounded poll for a condition (the app answers, or it has exited), not a fixed sleep.
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The container's app exited ({_process.ExitCode}) before answering {liveUrl}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(liveUrl);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The container's app did not answer {liveUrl} within {StartTimeout.TotalSeconds} s:\n{Output}");
    }
}
