using System.Net;
using System.Text.RegularExpressions;
using CleanCognito.TestSupport;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary>
/// Sign-in and sign-out send the browser to the hosted UI domain. When that domain does not answer
/// (the discovery document may still be cached), the app shows its own 503 page with Retry-After
/// instead of redirecting the browser to a "can't be reached" page; sign-out still clears the session.
/// </summary>
public sealed partial class UnreachableHostedUiTests : IDisposable
{
    private readonly StubIssuerApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Sign_in_with_the_hosted_ui_unreachable_answers_the_503_page()
    {
        // The stub serves discovery and JWKS; Cognito:Domain points at a port where nothing listens.
        using var client = _app.Client();

        using var response = await client.GetAsync(new Uri("/Account/Login?returnUrl=%2FFiles", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.Should().NotBeNull();
        (await response.Content.ReadAsStringAsync()).Should().Contain("data-status=\"503\"").And.Contain("Temporarily unavailable");
        _app.Factory.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Should().OnlyContain(e => e.Exception == null);
    }

    [Fact]
    public async Task Sign_in_with_the_hosted_ui_reachable_redirects_there()
    {
        _app.Factory.Settings["Cognito:Domain"] = _app.Url;
        using var client = _app.Client();

        using var response = await client.GetAsync(new Uri("/Account/Login?returnUrl=%2FFiles", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsoluteUri.Should().StartWith($"{_app.Url}/oauth2/authorize?");
    }

    [Fact]
    public async Task Sign_out_with_the_hosted_ui_unreachable_clears_the_session_and_answers_the_503_page()
    {
        using var response = await SignOutWhileTheHostedUiIsDownAsync();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.Should().NotBeNull();
        (await response.Content.ReadAsStringAsync()).Should().Contain("data-status=\"503\"");
        var cleared = response.Headers.GetValues("Set-Cookie").Where(c => c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)).ToList();
        cleared.Should().Contain(c => c.StartsWith("cognito_access_token=", StringComparison.Ordinal))
            .And.Contain(c => c.StartsWith("cognito_id_token=", StringComparison.Ordinal))
            .And.Contain(c => c.StartsWith("cognito_refresh_token=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_503_page_after_such_a_sign_out_shows_the_visitor_signed_out()
    {
        using var response = await SignOutWhileTheHostedUiIsDownAsync();

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        html.Should().Contain("id=\"sign-in\"", "the session is gone, so the page offers to sign in")
            .And.NotContain("id=\"sign-out\"").And.NotContain("id=\"nav-profile\"");
        _app.Factory.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning)
            .Should().ContainSingle("one failed call to the hosted UI, one line").Which.Message.Should().Contain("Upstream Cognito unavailable");
    }

    /// <summary>Signs out with a valid session while <c>Cognito:Domain</c> does not answer.</summary>
    private async Task<HttpResponseMessage> SignOutWhileTheHostedUiIsDownAsync()
    {
        var session = $"cognito_access_token={_app.Issuer.AccessToken()}; cognito_id_token={_app.Issuer.IdToken()}";
        using var client = _app.Client();
        using var form = new HttpRequestMessage(HttpMethod.Get, "/Account/Logout");
        form.Headers.Add("Cookie", session);
        using var page = await client.SendAsync(form);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        var antiforgeryCookie = page.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)).Split(';')[0];
        var token = WebUtility.HtmlDecode(TokenField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value);

        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Logout")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        };
        post.Headers.Add("Cookie", $"{session}; {antiforgeryCookie}");
        return await client.SendAsync(post);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
