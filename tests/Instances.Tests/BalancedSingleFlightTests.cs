using System.Net;
using CleanCognito.TestSupport.Instances;
using Xunit.Abstractions;

namespace CleanCognito.Instances.Tests;

/// <summary>
/// Work that must happen once per user, not once per instance: the refresh of an expired session and
/// the identity-pool exchange. Counted where AWS would count them, at the stand-ins.
/// </summary>
[Collection(CleanCognito.TestSupport.LocalAwsGroup.Name)]
public sealed class BalancedSingleFlightTests(BalancedApp app, ITestOutputHelper output) : BalancedTest(app)
{
    [Fact]
    public async Task Twenty_concurrent_requests_with_an_expired_session_over_both_instances_make_exactly_one_refresh()
    {
        using var browser = App.NewBrowser();
        await browser.SignInAsync(App.Stack.Alice, "/");
        // The session's access and ID cookies replaced by alice's tokens from the same pool that
        // expired a minute ago (validly signed): the state a browser is in once its tokens aged out,
        // without waiting an hour. Only the encrypted refresh cookie can renew it.
        var expired = await App.MintTokensAsync(App.Stack.Alice, expiresInSeconds: -60);
        browser.Cookies.Set("cognito_access_token", expired.AccessToken);
        browser.Cookies.Set("cognito_id_token", expired.IdToken);
        var cookie = browser.Cookies.CookieHeader();
        var refreshes = await App.PoolCountAsync("token:refresh_token");

        using var client = PlainClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Profile");
            request.Headers.Add("Cookie", cookie);
            using var response = await client.SendAsync(request);
            var renewed = response.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith("cognito_access_token=ey", StringComparison.Ordinal));
            return (response.StatusCode, Instance: App.InstanceOf(response), Renewed: renewed, Body: await response.Content.ReadAsStringAsync());
        }));

        var refreshed = await App.PoolCountAsync("token:refresh_token") - refreshes;
        output.WriteLine($"20 requests (A: {responses.Count(r => r.Instance == "A")}, B: {responses.Count(r => r.Instance == "B")}) → {refreshed} refresh(es) at the pool");
        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK && r.Body.Contains("id=\"profile-username\">alice<"),
            "every request carried a renewable session");
        responses.Should().OnlyContain(r => r.Renewed, "each request gets the renewed cookies, wherever it landed");
        responses.Select(r => r.Instance).Distinct().Should().BeEquivalentTo(["A", "B"], "the balancer spread the requests over both instances");
        refreshed.Should().Be(1,
            "one instance refreshes; every other request, on either instance, waits for and reads its result");
    }

    [Fact]
    public async Task Fifty_concurrent_cold_Files_requests_over_both_instances_make_one_GetId_and_one_GetCredentialsForIdentity()
    {
        // bob: no other test of this assembly leaves his tokens exchanged (CredentialCacheRecoveryTests
        // flushes Redis and restarts both instances after it), so no instance and no shared cache holds
        // his IdentityId or credentials. The sign-in lands on "/", which needs neither.
        using var browser = App.NewBrowser();
        await browser.SignInAsync(App.Stack.Bob, "/");
        var cookie = browser.Cookies.CookieHeader();
        var getId = await App.IdentityCountAsync("GetId");
        var getCredentials = await App.IdentityCountAsync("GetCredentialsForIdentity");

        using var client = PlainClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/Files");
            request.Headers.Add("Cookie", cookie);
            using var response = await client.SendAsync(request);
            return (response.StatusCode, Instance: App.InstanceOf(response));
        }));

        var getIdCalls = await App.IdentityCountAsync("GetId") - getId;
        var getCredentialsCalls = await App.IdentityCountAsync("GetCredentialsForIdentity") - getCredentials;
        output.WriteLine($"50 cold /Files (A: {responses.Count(r => r.Instance == "A")}, B: {responses.Count(r => r.Instance == "B")}) → {getIdCalls} GetId, {getCredentialsCalls} GetCredentialsForIdentity");
        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        responses.Select(r => r.Instance).Distinct().Should().BeEquivalentTo(["A", "B"], "the balancer spread the requests over both instances");
        getIdCalls.Should().Be(1, "bob's IdentityId is resolved once for both instances");
        getCredentialsCalls.Should().Be(1, "his credentials are fetched once and shared");
    }

    /// <summary>A client without a cookie jar, for requests that each carry the same Cookie header.</summary>
    private HttpClient PlainClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = App.Balancer.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
}
