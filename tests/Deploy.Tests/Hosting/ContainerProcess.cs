using CleanCognito.TestSupport;

namespace CleanCognito.Deploy.Tests.Hosting;

/// <summary>
/// Starts the built app (as the image's ENTRYPOINT does) with exactly the environment a container
/// would get, and reports whether it came up or exited.
/// </summary>
internal static class ContainerProcess
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(45);

    /// <summary>
    /// Runs the app until <c>/health/live</c> answers 200 (then stops it) or it exits.
    /// Returns the exit code (null when it came up) and what it wrote to stderr.
    /// </summary>
    public static async Task<(int? ExitCode, string Stderr)> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        // The image listens on 8080; here any free port will do.
        var port = FreePort.Pick();
        await using var app = BuiltAppProcess.Start(
            new Dictionary<string, string>(environment) { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.TrueAsync(
            "the app answers /health/live or exits",
            async () => app.HasExited || await AnswersLiveAsync(http, port),
            StartTimeout,
            every: TimeSpan.FromMilliseconds(200));
        if (!app.HasExited)
        {
            await app.StopAsync();
            return (null, await app.StderrAsync());
        }

        return await app.WaitForExitAsync(StartTimeout);
    }

    private static async Task<bool> AnswersLiveAsync(HttpClient http, int port)
    {
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/live"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }
}
