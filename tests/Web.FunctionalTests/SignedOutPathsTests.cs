using System.Net;
using CleanCognito.TestSupport.Web;

namespace CleanCognito.Web.FunctionalTests;

/// <summary>
/// Signed out, with the real Cognito sign-in registered: an address no page answers is the 404
/// page (not a detour through sign-in), a known page still asks to sign in, and a script's request
/// gets the 401 page offering to sign in again and come back.
/// </summary>
public sealed class SignedOutPathsTests : IDisposable
{
    private readonly CleanCognitoAppFactory _app = new() { UseCognitoSignIn = true };

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("/no/such/page")]
    [InlineData("/Objects/1234/unknown/deeper")]
    [InlineData("/Account/NoSuchPage")]
    public async Task An_unknown_url_while_signed_out_is_the_404_page_not_the_sign_in(string path)
    {
        using var client = _app.CreateHttpsClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("<h1>Not found</h1>").And.Contain("id=\"sign-in\"", "the visitor is shown as signed out");
    }

    [Theory]
    [InlineData("/Objects", "%2FObjects")]
    [InlineData("/Files", "%2FFiles")]
    [InlineData("/Objects/1234567890abcdef", "%2FObjects%2F1234567890abcdef")]
    public async Task A_known_page_while_signed_out_still_goes_to_sign_in(string path, string returnUrl)
    {
        using var client = _app.CreateHttpsClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be($"/Account/Login?returnUrl={returnUrl}");
    }

    [Fact]
    public async Task A_scripts_request_while_signed_out_gets_the_401_page_offering_to_sign_in_again_and_come_back()
    {
        using var client = _app.CreateHttpsClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Files");
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("<a href=\"/Account/Login?returnUrl=%2FFiles\" id=\"next-sign-in\">Sign in again</a>")
            .And.NotContain("id=\"next-retry\"");
    }
}
