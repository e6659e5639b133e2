using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace CleanCognito.Web.FunctionalTests;

/// <summary>A missing or malformed setting stops the app with one line naming the key and how to set it.</summary>
public sealed class StartupConfigurationTests
{
    private const string MissingEndpoint =
        "Configuration error: AppSync:Endpoint is missing. Set it in appsettings.json or the environment variable AppSync__Endpoint or AWS_APPSYNC_ENDPOINT.";

    [Theory]
    [InlineData("AppSync:Endpoint", "", "AppSync:Endpoint is missing.")]
    [InlineData("AppSync:Endpoint", "not a url", "AppSync:Endpoint must be an absolute http(s) URL")]
    [InlineData("AppSync:TimeoutSeconds", "0", "AppSync:TimeoutSeconds must be between")]
    public async Task The_app_does_not_start_with_an_invalid_setting_and_names_the_key(string key, string value, string expected)
    {
        await using var factory = new FunctionalTestFactory();
        factory.Settings[key] = value;

        var act = () => factory.CreateClient();

        act.Should().Throw<Exception>();
        factory.StartupFailure.Should().NotBeNull("the host's start-up validation must have failed");
        Flatten(factory.StartupFailure!).OfType<OptionsValidationException>().SelectMany(v => v.Failures)
            .Should().Contain(f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_built_app_without_settings_exits_1_with_one_line_per_problem_and_no_stack_trace()
    {
        var (exitCode, stderr) = await RunBuiltAppAsync(new Dictionary<string, string>());

        exitCode.Should().Be(1);
        stderr.Should().Contain(MissingEndpoint);
        stderr.Where(l => l.Length > 0).Should().OnlyContain(l => l.StartsWith("Configuration error: ", StringComparison.Ordinal), string.Join('\n', stderr));
        stderr.Should().NotContain(l => l.StartsWith("   at ", StringComparison.Ordinal));
        stderr.Where(l => l.Length > 0).Should().OnlyHaveUniqueItems("each problem is reported once");
    }

    [Fact]
    public async Task The_built_app_reads_the_seed_name_AWS_APPSYNC_ENDPOINT()
    {
        var (exitCode, stderr) = await RunBuiltAppAsync(new Dictionary<string, string> { ["AWS_APPSYNC_ENDPOINT"] = "http://appsync.example.test/graphql" });

        exitCode.Should().Be(1, "other settings are still missing");
        stderr.Should().NotContain(MissingEndpoint)
            .And.Contain("Configuration error: AppSync:Endpoint must use https outside the Local environment, but is \"http://appsync.example.test/graphql\". " +
                         "Set it in appsettings.json or the environment variable AppSync__Endpoint or AWS_APPSYNC_ENDPOINT.");
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : exception.InnerException is { } one ? [one] : [];
        foreach (var nested in inner.SelectMany(Flatten))
        {
            yield return nested;
        }
    }

    /// <summary>Runs <c>dotnet CleanCognito.Web.dll</c> from this test's output folder as Production, with only <paramref name="environment"/> set.</summary>
    private static async Task<(int ExitCode, IReadOnlyList<string> Stderr)> RunBuiltAppAsync(Dictionary<string, string> environment)
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
