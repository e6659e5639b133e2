using System.Diagnostics;

namespace CleanCognito.Web.BrowserTests.Image;

/// <summary>Runs a tool (podman, buildah, a script) to completion within a time limit.</summary>
internal static class Command
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>The last lines of both streams, for a failure message.</summary>
        public string Tail(int lines = 40) =>
            string.Join('\n', (Stdout + "\n" + Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));
    }

    public static async Task<Result> RunAsync(
        string file, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not finish within {timeout.TotalSeconds} s:\n{new Result(-1, await stdout, await stderr).Tail()}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>As <see cref="RunAsync"/>, and throws with the output's tail unless the tool exits 0.</summary>
    public static async Task<Result> RunCheckedAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        var result = await RunAsync(file, arguments, timeout, workingDirectory);
        return result.ExitCode == 0
            ? result
            : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.Tail()}");
    }
}
