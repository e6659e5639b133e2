using System.Globalization;
using CleanCognito.Deploy.Tests.Hosting;
using CleanCognito.Deploy.Tests.Template;
using CleanCognito.TestSupport;
using Xunit.Abstractions;

namespace CleanCognito.Web.BrowserTests.Image;

/// <summary>
/// The complement of <see cref="ImageTests"/>, which must run the image in Local to use the plain
/// http stand-ins: here the image runs in Production with the task definition's environment as AWS
/// would fill it (the samples of tests/Deploy.Tests' TaskDefinitionSettings: https endpoints that
/// are never called while starting), only the port changed. It starts, passes its HEALTHCHECK, and
/// answers with the Production pipeline behind the load balancer's forwarded headers.
/// In the stand-ins' collection although it needs none of them: the image build it may start takes
/// both cores for a minute and a half, which must not run beside the browser tests' timed steps.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class ImageProductionTests(BuiltImage image, ITestOutputHelper output) : IClassFixture<BuiltImage>
{
    [Fact]
    public async Task In_production_with_the_task_environment_as_aws_fills_it_the_image_starts_and_passes_its_health_check()
    {
        var port = FreePort.Pick();
        var environment = new Dictionary<string, string>(TaskDefinitionSettings.Of(CloudFormationTemplate.LoadFile()))
        {
            ["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture),
        };
        environment["ASPNETCORE_ENVIRONMENT"].Should().Be("Production");
        var baseUrl = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";

        await using var container = await RunningContainer.StartAsync(image, environment, new Uri($"{baseUrl}/health/live"));
        try
        {
            var check = await container.RunHealthCheckAsync();
            check.ExitCode.Should().Be(0, "the check said:\n{0}", check.Tail());

            // As the load balancer forwards a browser's https request for the app's host (HSTS is
            // never sent for a loopback host): the Production pipeline adds HSTS.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{baseUrl}/health/live");
            request.Headers.Host = "app.example.com"; // TaskDefinitionSettings' AppHost (so AllowedHosts too)
            request.Headers.Add("X-Forwarded-Proto", "https");
            using var response = await http.SendAsync(request);
            response.IsSuccessStatusCode.Should().BeTrue();
            response.Headers.Contains("Strict-Transport-Security").Should().BeTrue("the container runs the Production pipeline");
            container.Output.Should().Contain("Hosting environment: Production");
        }
        finally
        {
            output.WriteLine(container.Output);
        }
    }
}
