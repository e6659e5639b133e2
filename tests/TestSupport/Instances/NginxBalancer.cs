using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace CleanCognito.TestSupport.Instances;

/// <summary>
/// Debian's nginx as the round-robin load balancer of <c>./run.sh --instances N</c>, on a free port,
/// with the repository's own <c>dev/balancer/nginx.conf</c> (the placeholders filled in exactly as
/// run.sh fills them), run as the current user with its config, pid and logs in a temp folder.
/// </summary>
public sealed class NginxBalancer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly string _dir;

    private NginxBalancer(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>nginx's error log so far (for a failure message).</summary>
    public string ErrorLog => File.Exists(Path.Combine(_dir, "error.log")) ? File.ReadAllText(Path.Combine(_dir, "error.log")) : string.Empty;

    /// <summary>Starts nginx in front of <paramref name="upstreamPorts"/> and waits until it answers <c>/health/live</c> through an instance.</summary>
    public static async Task<NginxBalancer> StartAsync(IReadOnlyList<int> upstreamPorts)
    {
        var nginx = ExecutableLookup.Find("nginx") ?? ExecutableLookup.Find("/usr/sbin/nginx")
            ?? throw new InvalidOperationException("nginx is not installed: apt-get install -y nginx (./test.sh does it).");
        var dir = Directory.CreateTempSubdirectory("cleancognito-balancer-").FullName;
        var port = FreePort.Pick();
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), Render(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "dev", "balancer", "nginx.conf")), dir, port, upstreamPorts));

        var start = new ProcessStartInfo(nginx)
        {
            ArgumentList = { "-p", dir, "-c", Path.Combine(dir, "nginx.conf"), "-e", Path.Combine(dir, "error.log") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var balancer = new NginxBalancer(process, dir, port);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            await Eventually.TrueAsync(
                $"nginx answers /health/live on port {port}",
                async () =>
                {
                    if (process.HasExited)
                    {
                        throw new InvalidOperationException($"nginx exited with code {process.ExitCode} during start-up:\n{balancer.ErrorLog}");
                    }

                    using var response = await http.GetAsync(new Uri(balancer.BaseAddress, "/health/live"));
                    return response.StatusCode == HttpStatusCode.OK;
                },
                StartTimeout,
                every: TimeSpan.FromMilliseconds(100),
                lastSeen: () => balancer.ErrorLog,
                notYet: Eventually.Unreachable);
            return balancer;
        }
        catch
        {
            await balancer.DisposeAsync();
            throw;
        }
    }

    /// <summary>The repository's template filled in as run.sh fills it: the <c>@SERVER@</c> line once per instance.</summary>
    public static string Render(string template, string dir, int port, IReadOnlyList<int> upstreamPorts)
    {
        // As root nginx would hand its workers to 'nobody', who cannot write the temp folder.
        var user = Environment.UserName == "root" ? "user root root;" : string.Empty;
        var lines = template.Split('\n').SelectMany(line => line.Contains("@SERVER@", StringComparison.Ordinal)
            ? upstreamPorts.Select(p => line.Replace("@SERVER@", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{p}"), StringComparison.Ordinal))
            : [line
                .Replace("@USER@", user, StringComparison.Ordinal)
                .Replace("@PREFIX@", dir, StringComparison.Ordinal)
                .Replace("@LISTEN@", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}"), StringComparison.Ordinal)]);
        return string.Join('\n', lines);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // The master and its worker: a killed master alone would leave the worker holding the port.
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
