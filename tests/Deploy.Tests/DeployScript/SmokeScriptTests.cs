namespace CleanCognito.Deploy.Tests.DeployScript;

/// <summary>
/// deploy/smoke.sh without a deployed app: a fake <c>dotnet</c> on PATH records what the script would
/// run. What it proves: which URLs and users the script accepts, that it runs exactly the journey
/// test (the same <c>UserJourney</c> the image test runs against the container), and that the
/// password travels in the environment, never on a command line. The journey itself against a
/// running app is the image test's (IMAGE_TEST_RUN_SMOKE=1 runs this script there too).
/// </summary>
public sealed class SmokeScriptTests : IDisposable
{
    private static readonly string Script = Path.Combine(RepositoryPaths.Deploy, "smoke.sh");

    private readonly string _scratch = Directory.CreateTempSubdirectory("cleancognito-smoke-sh-").FullName;

    private string Arguments => Path.Combine(_scratch, "dotnet-arguments");

    private string Environment => Path.Combine(_scratch, "dotnet-environment");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [InlineData("usage:")]
    [InlineData("must be https://", "http://app.example.com")]
    [InlineData("must be https://", "ftp://127.0.0.1")]
    [InlineData("set SMOKE_USERNAME and SMOKE_PASSWORD", "https://app.example.com")]
    [InlineData("usage:", "https://app.example.com", "extra")]
    public async Task Bad_arguments_are_refused_before_anything_runs(string message, params string[] arguments)
    {
        var run = await RunAsync(arguments);

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain(message);
        File.Exists(Arguments).Should().BeFalse("nothing runs with arguments the script refuses");
    }

    [Fact]
    public async Task A_loopback_url_runs_the_journey_test_as_the_demo_user_with_the_password_in_the_environment_only()
    {
        var run = await RunAsync(["http://127.0.0.1:5080/"]);

        run.ExitCode.Should().Be(0, run.Stderr);
        var arguments = await File.ReadAllLinesAsync(Arguments);
        arguments.Should().StartWith(["test", Path.Combine(RepositoryPaths.Root, "tests", "Web.BrowserTests", "Web.BrowserTests.csproj")]);
        arguments.SkipWhile(a => a != "--filter").Skip(1).First().Should().Be("FullyQualifiedName~CleanCognito.Web.BrowserTests.Journey.DeployedAppSmokeTests");
        arguments.Should().NotContain(a => a.Contains("Alice-Passw0rd!", StringComparison.Ordinal), "a password on a command line shows in ps");
        var environment = await File.ReadAllLinesAsync(Environment);
        environment.Should().Contain(["SMOKE_URL=http://127.0.0.1:5080", "SMOKE_USERNAME=alice", "SMOKE_PASSWORD=Alice-Passw0rd!"]);
    }

    [Fact]
    public async Task A_deployed_url_runs_as_the_given_user_and_the_journeys_failure_is_the_scripts()
    {
        var run = await RunAsync(["https://app.example.com"], new() { ["SMOKE_USERNAME"] = "me@example.com", ["SMOKE_PASSWORD"] = "s3cret!", ["FAKE_DOTNET_EXIT"] = "3" });

        run.ExitCode.Should().Be(3, "a failed journey fails the smoke test");
        (await File.ReadAllLinesAsync(Environment)).Should().Contain(["SMOKE_URL=https://app.example.com", "SMOKE_USERNAME=me@example.com", "SMOKE_PASSWORD=s3cret!"]);
        (await File.ReadAllLinesAsync(Arguments)).Should().NotContain(a => a.Contains("s3cret!", StringComparison.Ordinal));
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] arguments, Dictionary<string, string>? extra = null)
    {
        var bin = Directory.CreateDirectory(Path.Combine(_scratch, "bin")).FullName;
        var dotnet = Path.Combine(bin, "dotnet");
        await File.WriteAllTextAsync(dotnet, $"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{Arguments}'\nenv | grep '^SMOKE_' > '{Environment}'\nexit \"${{FAKE_DOTNET_EXIT:-0}}\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var environment = new Dictionary<string, string> { ["PATH"] = $"{bin}:/usr/bin:/bin", ["HOME"] = _scratch };
        foreach (var (key, value) in extra ?? [])
        {
            environment[key] = value;
        }

        return await DeployScriptTests.RunProcessAsync("bash", [Script, .. arguments], environment);
    }
}
