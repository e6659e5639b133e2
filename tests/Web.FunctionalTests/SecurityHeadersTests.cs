namespace CleanCognito.Web.FunctionalTests;

public sealed class SecurityHeadersTests(FunctionalTestFactory factory) : IClassFixture<FunctionalTestFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/css/site.css")]
    [InlineData("/no/such/page")]
    [InlineData("/Objects/crash")]
    [InlineData("/Objects/bad%20id!")]
    public async Task Every_response_carries_the_security_headers_and_a_correlation_id(string path)
    {
        using var client = factory.CreateHttpsClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToArray());
        directives["script-src"].Should().Equal("'self'");
        directives["frame-ancestors"].Should().Equal("'none'");
        csp.Should().NotContain("unsafe-inline").And.NotContain("unsafe-eval");
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.GetValues("Referrer-Policy").Single().Should().NotBeNullOrWhiteSpace();
        response.Headers.GetValues("X-Correlation-Id").Single().Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Connect_src_allows_this_origin_and_the_buckets_only()
    {
        using var client = factory.CreateHttpsClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        var connect = response.Headers.GetValues("Content-Security-Policy").Single()
            .Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith("connect-src ", StringComparison.Ordinal));
        connect.Should().Be($"connect-src 'self' {new Uri(factory.Settings["Storage:ServiceUrl"]!).GetLeftPart(UriPartial.Authority)}");
    }

    [Fact]
    public async Task The_form_action_allows_the_configured_Cognito_domain()
    {
        using var client = factory.CreateHttpsClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        response.Headers.GetValues("Content-Security-Policy").Single()
            .Should().Contain($"form-action 'self' {factory.Settings["Cognito:Domain"]}");
    }

    [Fact]
    public async Task A_sane_incoming_correlation_id_is_kept_and_an_unsafe_one_replaced()
    {
        using var client = factory.CreateHttpsClient();
        using var sane = new HttpRequestMessage(HttpMethod.Get, "/");
        sane.Headers.Add("X-Correlation-Id", "req-42.abc");
        using var unsafeRequest = new HttpRequestMessage(HttpMethod.Get, "/");
        unsafeRequest.Headers.Add("X-Correlation-Id", "<script>");

        using var kept = await client.SendAsync(sane);
        using var replaced = await client.SendAsync(unsafeRequest);

        kept.Headers.GetValues("X-Correlation-Id").Should().Equal("req-42.abc");
        replaced.Headers.GetValues("X-Correlation-Id").Single().Should().NotContain("<");
    }
}
