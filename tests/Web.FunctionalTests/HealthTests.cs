using System.Net;
using System.Text.Json;
using CleanCognito.TestSupport.Web;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using CleanCognito.TestSupport;

namespace CleanCognito.Web.FunctionalTests;

public sealed class HealthTests
{
    [Fact]
    public async Task Live_answers_200_without_asking_any_upstream()
    {
        await using var factory = new FunctionalTestFactory();
        using var client = factory.CreateHttpsClient();

        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ready_answers_503_naming_the_upstream_that_does_not_answer()
    {
        await using var factory = new FunctionalTestFactory();
        using var client = factory.CreateHttpsClient();

        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("status").GetString().Should().Be("Unhealthy");
        var appsync = body.RootElement.GetProperty("checks").GetProperty("appsync");
        appsync.GetProperty("status").GetString().Should().Be("Unhealthy");
        appsync.GetProperty("description").GetString().Should().Contain(new Uri(factory.Settings["AppSync:Endpoint"]!).Authority);
    }

    [Fact]
    public async Task Ready_answers_200_when_the_upstreams_answer()
    {
        using var stub = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort.Pick()}"] });
        // AppSync answers an unauthenticated probe with 401: that still proves it is there.
        stub.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(401).WithBody("{}"));
        // Warm the stub up: its first answer can take seconds on a busy machine, longer than the probe waits.
        using (var warmUp = new HttpClient())
        {
            using var _ = await warmUp.GetAsync(new Uri($"{stub.Url}/warm-up"));
        }

        await using var factory = new FunctionalTestFactory();
        factory.WithSettings(new Dictionary<string, string?>
        {
            ["AppSync:Endpoint"] = $"{stub.Url}/graphql",
            ["Cognito:Domain"] = stub.Url,
            ["Cognito:MetadataAddress"] = $"{stub.Url}/us-east-1_CcTest001/.well-known/openid-configuration",
            ["IdentityPool:ServiceUrl"] = stub.Url,
            ["Storage:ServiceUrl"] = stub.Url,
        });
        using var client = factory.CreateHttpsClient();

        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        using var body = JsonDocument.Parse(text);
        body.RootElement.GetProperty("checks").GetProperty("appsync").GetProperty("status").GetString().Should().Be("Healthy");
    }
}
