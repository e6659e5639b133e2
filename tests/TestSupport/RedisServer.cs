using System.Diagnostics;
using System.Net.Sockets;
using Xunit;

namespace CleanCognito.TestSupport;

/// <summary>
/// A real <c>redis-server</c> (Debian's package) on a free loopback port, nothing persisted (unless
/// <see cref="KeepingDataAcrossRestarts"/>), for
/// tests of the shared store. It requires AUTH (<c>requirepass</c>, a random password per server) as
/// the deployed cache does. Fails with an actionable message when the program is missing: a test
/// that needs Redis must never pass without it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync.")]
public sealed class RedisServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly string? _dataDir;
    private Process? _process;

    public RedisServer()
    {
    }

    private RedisServer(string dataDir) => _dataDir = dataDir;

    /// <summary>
    /// A server that keeps its data across <see cref="StopAsync"/> and <see cref="StartAsync"/> (an
    /// append-only file written on every command, as a managed Redis keeps its data through a restart),
    /// for outage tests: the instances' key ring must still be there when Redis returns.
    /// </summary>
    public static RedisServer KeepingDataAcrossRestarts() => new(Directory.CreateTempSubdirectory("cleancognito-redis-").FullName);

    public int Port { get; } = FreePort.Pick();

    /// <summary>The AUTH password of the <c>default</c> user: random, 48 characters (long enough for <see cref="SecretLeaks"/>).</summary>
    public string Password { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();

    /// <summary><c>host:port</c>, without credentials (StackExchange.Redis <c>GetServer</c>, and <c>Redis:Configuration</c> with <see cref="Settings"/>).</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>A StackExchange.Redis configuration string with the password in it: for tests' own connections and settings that need one string.</summary>
    public string Configuration => $"{Endpoint},password={Password}";

    /// <summary>The app's settings as deployed: the endpoint in <c>Redis:Configuration</c>, the password apart in <c>Redis:Password</c>.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Redis:Configuration"] = Endpoint,
        ["Redis:Password"] = Password,
    };

    public bool IsRunning => _process is { HasExited: false };

    public Task InitializeAsync() => StartAsync();

    /// <summary>Starts the server on <see cref="Port"/> (again, after <see cref="StopAsync"/>) and waits until it answers PING.</summary>
    public async Task StartAsync()
    {
        var program = ExecutableLookup.Find("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed: apt-get install -y redis-server (./test.sh does it).");
        var start = new ProcessStartInfo(program)
        {
            ArgumentList = { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--requirepass", Password },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in _dataDir is null ? ["--appendonly", "no"] : new[] { "--appendonly", "yes", "--appendfsync", "always", "--dir", _dataDir })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(StartTimeout);
        var process = _process;
        await Eventually.TrueAsync(
            $"redis-server answers PING on port {Port}",
            async () => process.HasExited
                ? throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} before answering on port {Port}.")
                : await AnswersPingAsync(deadline.Token),
            StartTimeout);
    }

    /// <summary>Kills the server (an outage, not a clean shutdown) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        if (_dataDir is not null)
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private async Task<bool> AnswersPingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"AUTH {Password}\r\nPING\r\n"), cancellationToken);
            var replies = new System.Text.StringBuilder();
            var buffer = new byte[64];
            // "+OK" to AUTH, then "+PONG": both replies may come in one read or two.
            while (!replies.ToString().Contains("+PONG", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, cancellationToken);
                replies.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
                if (read == 0 || replies.ToString().StartsWith('-'))
                {
                    return false;
                }
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
