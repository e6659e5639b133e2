using System.Globalization;
using System.Net;

namespace CleanCognito.TestSupport.Instances;

/// <summary>
/// One app instance behind the balancer: the built app as its own process (<see cref="BuiltAppProcess"/>)
/// on a fixed port, so it can be killed and started again where the balancer expects it. The
/// benchmarks start other builds this way too (<paramref name="appDll"/>; null: the build beside the tests).
/// </summary>
public sealed class AppInstanceProcess(string name, int port, IReadOnlyDictionary<string, string> environment, string? appDll = null) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private BuiltAppProcess? _process;

    /// <summary>"A" or "B": how the tests speak of it.</summary>
    public string Name { get; } = name;

    public int Port { get; } = port;

    /// <summary>How nginx names this instance in <c>$upstream_addr</c> (the <c>X-Upstream</c> header).</summary>
    public string UpstreamAddress => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The running process (CPU time, RSS); throws before <see cref="StartAsync"/>.</summary>
    public BuiltAppProcess Process => _process ?? throw new InvalidOperationException($"Instance {Name} is not started.");

    /// <summary>Starts the process and waits until it answers <c>/health/live</c> (a bounded poll, never a fixed sleep).</summary>
    public async Task StartAsync()
    {
        var settings = new Dictionary<string, string>(environment) { ["ASPNETCORE_URLS"] = $"http://{UpstreamAddress}" };
        _process = appDll is null ? BuiltAppProcess.Start(settings) : BuiltAppProcess.StartBuild(appDll, settings);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var process = _process;
        try
        {
            await Eventually.TrueAsync(
                $"instance {Name} answers /health/live on port {Port}",
                async () =>
                {
                    if (process.HasExited)
                    {
                        throw new InvalidOperationException($"Instance {Name} (port {Port}) exited during start-up:\n{await process.StderrAsync()}");
                    }

                    using var response = await http.GetAsync(new Uri($"http://{UpstreamAddress}/health/live"));
                    return response.StatusCode == HttpStatusCode.OK;
                },
                StartTimeout,
                every: TimeSpan.FromMilliseconds(100),
                notYet: Eventually.Unreachable);
        }
        catch (TimeoutException)
        {
            await process.StopAsync();
            throw;
        }
    }

    /// <summary>Kills the process, as a crash or a lost host would: no graceful drain.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            await process.DisposeAsync();
            _process = null;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
