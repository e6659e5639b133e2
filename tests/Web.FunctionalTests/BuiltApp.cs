using System.Diagnostics;

namespace CleanCognito.Web.FunctionalTests;

/// <summary>The app as a real process (dotnet CleanCognito.Web.dll), for what only a process shows: exit codes and stderr.</summary>
internal static class BuiltApp
{
    /// <summary>Runs <c>dotnet CleanCognito.Web.dll</c> from this test's output folder as Production, with only <paramref name="environment"/> set.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Stderr)> RunAsync(Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CleanCognito.Web.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");

        // Nothing from the test run's environment may configure the app.
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("AWS_", StringComparison.Ordinal) || name.Contains("__", StringComparison.Ordinal)
                || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The app did not exit within 30 s. stdout: {await stdout}");
        }

        var lines = (await stderr).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        return (process.ExitCode, lines);
    }
}
