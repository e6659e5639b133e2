using CleanCognito.TestSupport;

namespace CleanCognito.Web.FunctionalTests;

/// <summary>The app as a real process, for what only a process shows: exit codes and stderr.</summary>
internal static class BuiltApp
{
    /// <summary>Runs the built app as Production with only <paramref name="environment"/> set, until it exits.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Stderr)> RunAsync(Dictionary<string, string> environment)
    {
        await using var app = BuiltAppProcess.Start(
            new Dictionary<string, string>(environment) { ["ASPNETCORE_ENVIRONMENT"] = "Production" },
            "--urls", "http://127.0.0.1:0");
        var (exitCode, stderr) = await app.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return (exitCode, stderr.Split('\n').Select(l => l.TrimEnd('\r')).ToList());
    }
}
