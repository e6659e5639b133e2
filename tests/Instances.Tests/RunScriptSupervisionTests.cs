using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CleanCognito.TestSupport;

namespace CleanCognito.Instances.Tests;

/// <summary>
/// The supervision <c>./run.sh --instances N</c> runs (dev/balancer/supervise.sh), driven with real
/// processes standing in for the instances and the balancer: a killed instance is started again, at
/// most MAX_RESTARTS times, then run.sh says how to start it by hand; a Redis that stops answering is
/// reported once, with the command that restarts it, and its return too.
/// </summary>
public sealed partial class RunScriptSupervisionTests : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private readonly string _dir = Directory.CreateTempSubdirectory("cleancognito-supervise-").FullName;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentDictionary<int, int> _pids = new();
    private Process? _script;

    public void Dispose()
    {
        if (_script is { HasExited: false })
        {
            _script.Kill(entireProcessTree: true);
        }

        foreach (var pid in _pids.Values)
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }

        _script?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_killed_instance_is_restarted_at_most_twice_then_run_sh_says_how_and_a_stopped_redis_is_reported_with_its_command()
    {
        var redisUp = Path.Combine(_dir, "redis-up");
        await File.WriteAllTextAsync(redisUp, string.Empty);
        Start(redisUp);
        await Eventually.TrueAsync("the balancer and both instances started", () => _pids.Count == 3, Within, lastSeen: Output);

        for (var restart = 1; restart <= 2; restart++)
        {
            var before = _pids[1];
            Process.GetProcessById(before).Kill();
            await Eventually.TrueAsync($"instance 1 is started again ({restart})", () => _pids[1] != before, Within, lastSeen: Output);
            Output().Should().Contain($"run.sh: app instance 1 stopped; starting it again (restart {restart} of 2).");
        }

        Process.GetProcessById(_pids[1]).Kill();
        await Eventually.TrueAsync("run.sh gives up on instance 1 and says how to start it", () => Output().Contains("start-instance-1-by-hand", StringComparison.Ordinal), Within, lastSeen: Output);
        Output().Should().Contain("run.sh: app instance 1 stopped again after 2 restarts; not restarting it.");
        Process.GetProcessById(_pids[2]).HasExited.Should().BeFalse("instance 2 was left alone");

        File.Delete(redisUp);
        await Eventually.TrueAsync("a stopped redis-server is reported", () => Output().Contains("redis-server does not answer", StringComparison.Ordinal), Within, lastSeen: Output);
        Output().Should().Contain("  redis-server --port 6399 --bind 127.0.0.1", "the report says how to restart it");
        await File.WriteAllTextAsync(redisUp, string.Empty);
        await Eventually.TrueAsync("its return is reported", () => Output().Contains("redis-server answers again", StringComparison.Ordinal), Within, lastSeen: Output);
        Regex.Count(Output(), "redis-server does not answer").Should().Be(1, "one report per outage, not one per check");

        Process.GetProcessById(_pids[0]).Kill();
        // (The instances' sleep processes still hold the output pipes: wait for the script, not for its output.)
        await Eventually.TrueAsync("the script ends with the balancer", () => _script!.HasExited, Within, lastSeen: Output);
        _script!.ExitCode.Should().Be(0, "supervision ends with the balancer");
    }

    /// <summary>Sources the script as run.sh does, with sleep processes for the balancer (pid key 0) and two instances.</summary>
    private void Start(string redisUp)
    {
        var harness = Path.Combine(_dir, "harness.sh");
        File.WriteAllText(harness, $$"""
            set -euo pipefail
            source dev/balancer/supervise.sh
            sleep 600 & BALANCER_PID=$!
            echo "pid 0 $BALANCER_PID"
            app_pids=()
            start_instance() { sleep 600 & app_pids[$1]=$!; echo "pid $1 ${app_pids[$1]}"; }
            instance_command() { echo "start-instance-$1-by-hand"; }
            redis_answers() { [ -e '{{redisUp}}' ]; }
            start_instance 1
            start_instance 2
            INSTANCE_COUNT=2 MAX_RESTARTS=2 SUPERVISE_INTERVAL=0.2 REDIS_COMMAND="redis-server --port 6399 --bind 127.0.0.1 &" supervise
            """);
        var start = new ProcessStartInfo("bash", [harness])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _script = Process.Start(start)!;
        _script.OutputDataReceived += (_, e) => Read(e.Data);
        _script.ErrorDataReceived += (_, e) => Read(e.Data);
        _script.BeginOutputReadLine();
        _script.BeginErrorReadLine();
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        if (PidLine().Match(line) is { Success: true } match)
        {
            _pids[int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        }
    }

    private string Output() => string.Join('\n', _lines);

    [GeneratedRegex(@"^pid (\d) (\d+)$")]
    private static partial Regex PidLine();
}
