using System.Diagnostics;
using CleanCognito.TestSupport;

namespace CleanCognito.Deploy.Tests.Hosting;

/// <summary>
/// Starts the built app (<c>dotnet CleanCognito.Web.dll</c>, as the image's ENTRYPOINT does) with
/// exactly the environment a container would get, and reports whether it came up or exited.
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
        var port = FreePort.Pick();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CleanCognito.Web.dll"));

        // Nothing from the test run's own environment may configure the app: only the container's.
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("AWS_", StringComparison.Ordinal) || name.Contains("__", StringComparison.Ordinal)
                || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal))
            {
                start.Environment.Remove(name);
            }
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        // The image listens on 8080; here any free port will do.
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var deadline = new CancellationTokenSource(StartTimeout);
        try
        {
            while (!process.HasExited)
            {
                if (await AnswersLiveAsync(http, port))
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None);
                    return (null, await stderr);
                }

                await Task.Delay(200, deadline.Token);
            }

            return (process.ExitCode, await stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The app neither answered /health/live nor exited within {StartTimeout.TotalSeconds} s.");
        }
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
