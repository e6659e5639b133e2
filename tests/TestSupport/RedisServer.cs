using System.Diagnostics;
using System.Net.Sockets;
using Xunit;

namespace CleanCognito.TestSupport;

/// <summary>
/// A real <c>redis-server</c> (Debian's package) on a free loopback port, with nothing persisted, for
/// tests of the shared store. Fails with an actionable message when the program is missing: a test
/// that needs Redis must never pass without it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync.")]
public sealed class RedisServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private Process? _process;

    public int Port { get; } = FreePort.Pick();

    /// <summary>The StackExchange.Redis configuration string the app takes as <c>Redis:Configuration</c>.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public Task InitializeAsync() => StartAsync();

    /// <summary>Starts (or, after <see cref="StopAsync"/>, restarts) the server on the same port, empty.</summary>
    public async Task StartAsync()
    {
        var program = ExecutableLookup.Find("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed: apt-get install -y redis-server (./test.sh does it).");
        _process = Process.Start(new ProcessStartInfo(program)
        {
            ArgumentList = { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(StartTimeout);
        while (!await AnswersPingAsync(deadline.Token))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} before answering on port {Port}.");
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    public Task DisposeAsync() => StopAsync();

    /// <summary>Kills the server, as an outage would: clients see their connection drop.</summary>
    public Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
        return Task.CompletedTask;
    }

    private async Task<bool> AnswersPingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
