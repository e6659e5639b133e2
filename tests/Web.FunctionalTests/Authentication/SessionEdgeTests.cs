using System.Net;
using CleanCognito.TestSupport.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary>Sessions when a piece of the user pool is missing: refresh switched off, token endpoint down, JWKS unreachable.</summary>
public sealed class SessionEdgeTests
{
    [Fact]
    public async Task With_the_refresh_flow_off_an_expired_session_goes_to_sign_in_without_calling_the_pool()
    {
        using var app = new StubIssuerApp();
        app.Factory.Settings["Cognito:RefreshFlowEnabled"] = "false";

        using var response = await GetProfileWithExpiredSession(app);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, "no refresh was attempted (the token endpoint is unreachable, which would answer 503)");
        response.Headers.Location!.OriginalString.Should().Be("/Account/Login?returnUrl=%2FAccount%2FProfile");
    }

    [Fact]
    public async Task An_unreachable_token_endpoint_during_refresh_answers_the_503_page()
    {
        using var app = new StubIssuerApp();

        using var response = await GetProfileWithExpiredSession(app);

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Contain("data-status=\"503\"");
    }

    [Fact]
    public async Task An_unreachable_jwks_answers_the_503_page_on_a_protected_page_and_serves_public_pages_signed_out()
    {
        using var issuer = new TestSupport.TestTokenIssuer();
        using var app = new CleanCognitoAppFactory { UseCognitoSignIn = true };
        using var client = app.CreateHttpsClient(keepCookies: false);
        var cookie = $"cognito_access_token={issuer.AccessToken()}; cognito_id_token={issuer.IdToken()}";

        using var profile = new HttpRequestMessage(HttpMethod.Get, "/Account/Profile");
        profile.Headers.Add("Cookie", cookie);
        using var profileResponse = await client.SendAsync(profile);
        profileResponse.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await profileResponse.Content.ReadAsStringAsync()).Should().Contain("data-status=\"503\"");

        using var home = new HttpRequestMessage(HttpMethod.Get, "/");
        home.Headers.Add("Cookie", cookie);
        using var homeResponse = await client.SendAsync(home);
        homeResponse.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Sign_in_with_an_unreachable_user_pool_answers_the_503_page()
    {
        using var app = new CleanCognitoAppFactory { UseCognitoSignIn = true };
        using var client = app.CreateHttpsClient(keepCookies: false);

        using var response = await client.GetAsync(new Uri("/Account/Login?returnUrl=%2F", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Headers.Contains("Retry-After").Should().BeTrue();
        (await response.Content.ReadAsStringAsync()).Should().Contain("data-status=\"503\"");
    }

    private static async Task<HttpResponseMessage> GetProfileWithExpiredSession(StubIssuerApp app)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var access = app.Issuer.AccessToken(claims: c => { c["iat"] = now - 7200; c["exp"] = now - 3600; });
        var id = app.Issuer.IdToken(claims: c => { c["iat"] = now - 7200; c["exp"] = now - 3600; });
        using var client = app.Client();
        var refresh = app.Factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("CleanCognito.RefreshToken").Protect("a-refresh-token");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Profile");
        request.Headers.Add("Cookie", $"cognito_access_token={access}; cognito_id_token={id}; cognito_refresh_token={refresh}");
        return await client.SendAsync(request);
    }
}
