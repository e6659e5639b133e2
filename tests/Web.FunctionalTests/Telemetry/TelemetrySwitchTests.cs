using System.Net;
using CleanCognito.TestSupport;
using CleanCognito.Web.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CleanCognito.Web.FunctionalTests.Telemetry;

/// <summary>Telemetry is off unless an OTLP endpoint is configured; a receiver that is down never fails a request.</summary>
public sealed class TelemetrySwitchTests
{
    [Fact]
    public async Task Without_an_endpoint_no_OpenTelemetry_SDK_or_exporter_is_registered()
    {
        Environment.GetEnvironmentVariable(TelemetryOptions.StandardEndpointVariable).Should().BeNullOrEmpty("the test machine must not switch telemetry on itself");
        await using var app = new FunctionalTestFactory();
        using var client = app.CreateHttpsClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        app.Services.GetService<TracerProvider>().Should().BeNull("no tracer provider: no span is even created");
        app.Services.GetService<MeterProvider>().Should().BeNull("no meter provider: the app's instruments have no listener");
        app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Select(s => s.GetType().FullName)
            .Should().NotContain(name => name!.StartsWith("OpenTelemetry", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task With_an_endpoint_that_does_not_answer_the_app_starts_and_every_request_succeeds(string protocol)
    {
        var closedPort = FreePort.Pick(1)[0];
        await using var app = new FunctionalTestFactory();
        app.Settings["Telemetry:OtlpEndpoint"] = $"http://127.0.0.1:{closedPort}";
        app.Settings["Telemetry:OtlpProtocol"] = protocol;
        using var client = app.CreateHttpsClient();

        for (var i = 0; i < 3; i++)
        {
            using var page = await client.GetAsync(new Uri("/", UriKind.Relative));
            page.StatusCode.Should().Be(HttpStatusCode.OK);

            // Each flush sends to the closed port and fails there, in the exporter, not in a request.
            app.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000);
            app.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);
        }

        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        live.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_standard_OTEL_EXPORTER_OTLP_ENDPOINT_switches_it_on_and_OTEL_SERVICE_NAME_names_the_service()
    {
        using var receiver = new OtlpReceiver();
        await using var app = new FunctionalTestFactory();
        // The host reads environment variables into configuration; settings stand in for them here.
        app.Settings[TelemetryOptions.StandardEndpointVariable] = receiver.Url;
        app.Settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        app.Settings["OTEL_SERVICE_NAME"] = "cleancognito-renamed";
        using var client = app.CreateHttpsClient();

        using var page = await client.GetAsync(new Uri("/", UriKind.Relative));
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        app.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000).Should().BeTrue();

        receiver.Paths.Should().Contain("/v1/metrics", "the exporter appends the signal path to the standard endpoint");
        receiver.Text().Should().Contain("http.server.request.duration").And.Contain("cleancognito-renamed", "the standard service name wins over the default");
    }

    [Theory]
    [InlineData("Telemetry:OtlpEndpoint", "collector:4317", "Telemetry:OtlpEndpoint must be an absolute http(s) URL, but is \"collector:4317\".")]
    [InlineData("Telemetry:OtlpProtocol", "udp", "Telemetry:OtlpProtocol must be \"grpc\" or \"http/protobuf\", but is \"udp\".")]
    public async Task A_malformed_telemetry_setting_stops_the_app_and_names_the_key(string key, string value, string expected)
    {
        await using var app = new FunctionalTestFactory();
        app.Settings[key] = value;

        var act = () => app.CreateClient();

        act.Should().Throw<Exception>();
        app.StartupFailure.Should().BeOfType<OptionsValidationException>()
            .Which.Failures.Should().Contain($"{expected} Set it in appsettings.json or the environment variable {key.Replace(":", "__", StringComparison.Ordinal)}.");
    }
}
