using System.Net;
using CleanCognito.TestSupport.Web;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CleanCognito.Deploy.Tests.Production;

/// <summary>Outside Local the app is HTTPS-only with HSTS; behind a TLS-terminating proxy it trusts X-Forwarded-Proto when told to.</summary>
public sealed class HttpsTests
{
    private const string PublicHost = "app.example.test"; // HSTS is never sent for localhost

    [Fact]
    public async Task Plain_http_is_redirected_to_https()
    {
        using var app = new ProductionAppFactory(keysPath: null);
        using var client = Client(app, "http");

        var response = await client.GetAsync("/health/live");

        response.StatusCode.Should().Be(HttpStatusCode.TemporaryRedirect);
        response.Headers.Location.Should().Be(new Uri($"https://{PublicHost}/health/live"));
    }

    [Fact]
    public async Task Https_responses_carry_strict_transport_security()
    {
        using var app = new ProductionAppFactory(keysPath: null);
        using var client = Client(app, "https");

        var response = await client.GetAsync("/health/live");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Strict-Transport-Security").Should().ContainSingle().Which.Should().StartWith("max-age=");
    }

    [Fact]
    public async Task Behind_a_proxy_with_forwarded_headers_enabled_the_forwarded_scheme_counts()
    {
        using var app = new ProductionAppFactory(keysPath: null, extraSettings: new Dictionary<string, string?> { ["FORWARDEDHEADERS_ENABLED"] = "true" });
        using var client = Client(app, "http");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the proxy already terminated TLS");
        response.Headers.Contains("Strict-Transport-Security").Should().BeTrue();
    }

    [Fact]
    public async Task Local_keeps_plain_http_for_the_stand_ins()
    {
        using var app = new ProductionAppFactory(keysPath: null, environment: "Local");
        using var client = Client(app, "http");

        var response = await client.GetAsync("/health/live");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.Contains("Strict-Transport-Security").Should().BeFalse();
    }

    private static HttpClient Client(ProductionAppFactory app, string scheme) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"{scheme}://{PublicHost}"), AllowAutoRedirect = false });
}
