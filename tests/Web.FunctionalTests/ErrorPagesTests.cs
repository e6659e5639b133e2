using System.Net;
using CleanCognito.TestSupport.Web;
using Microsoft.Extensions.Logging;

namespace CleanCognito.Web.FunctionalTests;

/// <summary>Each application error becomes the right page and status, through the one mapping.</summary>
public sealed class ErrorPagesTests(FunctionalTestFactory factory) : IClassFixture<FunctionalTestFactory>
{
    private async Task<(HttpResponseMessage Response, string Html)> GetAsync(string path)
    {
        using var client = factory.CreateHttpsClient();
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_object_renders_on_its_page()
    {
        var (response, html) = await GetAsync("/Objects/1234567890abcdef");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("<h1 id=\"object-name\">Object 1234567890abcdef</h1>").And.Contain("1234567890abcdef");
    }

    [Fact]
    public async Task An_unknown_url_shows_the_404_page()
    {
        var (response, html) = await GetAsync("/no/such/page");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        html.Should().Contain("<h1>Not found</h1>").And.Contain("data-status=\"404\"");
    }

    [Fact]
    public async Task An_invalid_id_re_renders_the_page_with_400_and_the_validation_message()
    {
        var (response, html) = await GetAsync("/Objects/bad%20id!");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        WebUtility.HtmlDecode(html).Should().Contain("An object id is 1 to 64 letters, digits, '-' or '_'.");
    }

    [Fact]
    public async Task A_ValidationException_from_the_handler_gives_400_with_its_message_on_the_page()
    {
        var (response, html) = await GetAsync("/Objects/rejected");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        WebUtility.HtmlDecode(html).Should().Contain(ScriptedGateway.RejectionMessage);
    }

    [Fact]
    public async Task NotFound_gives_the_404_page()
    {
        var (response, html) = await GetAsync("/Objects/not-found");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        html.Should().Contain("<h1>Not found</h1>");
    }

    [Fact]
    public async Task Forbidden_gives_the_403_page()
    {
        var (response, html) = await GetAsync("/Objects/forbidden");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        html.Should().Contain("<h1>Access denied</h1>");
    }

    [Fact]
    public async Task UpstreamUnavailable_gives_the_503_page_with_Retry_After()
    {
        var (response, html) = await GetAsync("/Objects/upstream-down");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.Should().NotBeNull();
        response.Headers.RetryAfter!.Delta.Should().BePositive();
        html.Should().Contain("<h1>Temporarily unavailable</h1>");
    }

    [Fact]
    public async Task An_unexpected_exception_gives_the_500_page_with_the_correlation_id_logged_and_never_shown()
    {
        var (response, html) = await GetAsync("/Objects/crash");

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        var correlationId = response.Headers.GetValues("X-Correlation-Id").Single();
        html.Should().Contain("<h1>Something went wrong</h1>")
            .And.Contain($"<code id=\"correlation-id\">{correlationId}</code>");
        WebUtility.HtmlDecode(html).Should().NotContain(ScriptedGateway.SecretDetail)
            .And.NotContain(nameof(InvalidOperationException))
            .And.NotContain("   at ");

        var logged = factory.Logs.Entries.Where(e => e.Exception?.Message == ScriptedGateway.SecretDetail).ToList();
        logged.Should().ContainSingle("the exception is logged once").Which.Should().Match<TestSupport.CapturedLog>(e =>
            e.Level == LogLevel.Error
            && e.Message.Contains(correlationId)
            && Equals(e.Scope["CorrelationId"], correlationId));
    }

    [Fact]
    public async Task The_error_page_answers_a_direct_request_with_its_status()
    {
        var (response, html) = await GetAsync("/Errors/503");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        html.Should().Contain("<h1>Temporarily unavailable</h1>");
    }

    [Fact]
    public async Task The_503_page_offers_to_retry_the_page_after_Retry_After_then_its_list_then_home()
    {
        var (response, html) = await GetAsync("/Objects/upstream-down");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var seconds = (int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        NextSteps(html).Should().Equal(
            $"next-retry /Objects/upstream-down Try this page again in {seconds} seconds",
            "next-list /Objects Your objects",
            "next-home / Back to the home page");
    }

    [Fact]
    public async Task The_404_page_offers_the_page_the_browser_came_from_and_the_list_the_missing_item_belonged_to()
    {
        var (status, html) = await GetFromAsync("/Objects/not-found", "https://localhost/Account/Profile?tab=1");

        status.Should().Be(HttpStatusCode.NotFound);
        NextSteps(html).Should().Equal(
            "next-back /Account/Profile?tab=1 Back to the previous page",
            "next-list /Objects Your objects",
            "next-home / Back to the home page");
    }

    [Fact]
    public async Task The_error_page_never_offers_another_sites_page_as_the_way_back()
    {
        var (status, html) = await GetFromAsync("/Objects/forbidden", "https://evil.example/Objects");

        status.Should().Be(HttpStatusCode.Forbidden);
        NextSteps(html).Should().Equal("next-list /Objects Your objects", "next-home / Back to the home page");
    }

    /// <summary>The error page's next steps as "id href text", in order.</summary>
    private static List<string> NextSteps(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, "<li><a href=\"([^\"]*)\" id=\"(next-[a-z-]+)\">([^<]*)</a></li>")
            .Select(m => $"{m.Groups[2].Value} {WebUtility.HtmlDecode(m.Groups[1].Value)} {WebUtility.HtmlDecode(m.Groups[3].Value)}").ToList();

    /// <summary>A page requested as if followed from <paramref name="referrer"/>: its status and HTML.</summary>
    private async Task<(HttpStatusCode Status, string Html)> GetFromAsync(string path, string referrer)
    {
        using var client = factory.CreateHttpsClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Referrer = new Uri(referrer);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
