using System.Globalization;
using CleanCognito.Deploy.Tests.Template;
using CleanCognito.TestSupport;
using CleanCognito.Web.BrowserTests.Journey;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CleanCognito.Web.BrowserTests.Image;

/// <summary>
/// The container image as ECS would run it: built from the shipped Dockerfile (on stand-in base
/// images), started with the task definition's own environment pointed at the local stand-ins, then
/// checked with its own HEALTHCHECK and a user's journey in Chromium. docs/aws-deployment.md says
/// what this proves and what only AWS can.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class ImageTests(LocalAwsStack stack, BuiltImage image, ITestOutputHelper output) : IClassFixture<BuiltImage>, IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private RunningContainer _container = null!;
    private string _baseUrl = string.Empty;

    public async Task InitializeAsync()
    {
        output.WriteLine($"base images + image build in this run: {image.BuildTime.TotalSeconds:F0} s");
        await _redis.StartAsync();
        var port = FreePort.Pick();
        _baseUrl = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var environment = TaskEnvironment.For(CloudFormationTemplate.LoadFile(), new LocalTarget(stack, _redis.Port, _redis.Password, port));
        _container = await RunningContainer.StartAsync(image, environment, new Uri($"{_baseUrl}/health/live"));
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            output.WriteLine(_container.Output);
            await _container.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task The_images_own_health_check_passes_while_the_app_runs_and_fails_once_it_stops()
    {
        image.HealthCheck.Should().NotBeEmpty("the Dockerfile's HEALTHCHECK survives the build (--format docker)");

        var healthy = await _container.RunHealthCheckAsync();
        healthy.ExitCode.Should().Be(0, "the app is up; the check said:\n{0}", healthy.Tail());

        await _container.StopAppAsync();
        var stopped = await _container.RunHealthCheckAsync();
        stopped.ExitCode.Should().NotBe(0, "with the app gone the same check must fail, or it proves nothing");
    }

    [Fact]
    public async Task With_the_task_definitions_environment_a_user_signs_in_sees_objects_moves_a_file_up_and_down_and_signs_out()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = BrowserFixture.ChromiumArgs,
            Timeout = 30_000,
        });

        await UserJourney.RunAsync(browser, _baseUrl, stack.Alice.Username, stack.Alice.Password);

        // Opt-in (it runs a second `dotnet test`): deploy/smoke.sh against this container.
        if (Environment.GetEnvironmentVariable("IMAGE_TEST_RUN_SMOKE") == "1")
        {
            var smoke = await Command.RunAsync(Path.Combine(RepositoryRoot.Path, "deploy", "smoke.sh"), [_baseUrl], TimeSpan.FromMinutes(5), RepositoryRoot.Path, new Dictionary<string, string>
            {
                ["SMOKE_NO_BUILD"] = "1",
                ["SMOKE_USERNAME"] = stack.Alice.Username,
                ["SMOKE_PASSWORD"] = stack.Alice.Password,
            });
            output.WriteLine(smoke.Tail(15));
            smoke.ExitCode.Should().Be(0, "deploy/smoke.sh passes against the container:\n{0}", smoke.Tail());
            smoke.Stdout.Should().Contain("Passed CleanCognito.Web.BrowserTests.Journey.DeployedAppSmokeTests.", "the smoke test ran rather than being skipped");
        }
    }
}
