using System.Net;
using CleanCognito.TestSupport.Instances;
using Xunit.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;

namespace CleanCognito.Instances.Tests;

/// <summary>Sign-out on one instance ends the session on every instance, though its tokens have not expired.</summary>
[Collection(CleanCognito.TestSupport.LocalAwsGroup.Name)]
public sealed class BalancedSignOutTests(BalancedApp app, ITestOutputHelper output) : BalancedTest(app)
{
    [Fact]
    public async Task The_old_cookies_are_refused_on_the_other_instance_after_sign_out()
    {
        using var browser = App.NewBrowser();
        await browser.SignInAsync(App.Stack.Alice, "/");
        // Only the two token cookies, no refresh cookie: their JWTs are valid for an hour, so a refusal
        // can only come from the sign-out, never from a failed refresh.
        var access = browser.Cookies["cognito_access_token"]!;
        var oldCookies = $"cognito_access_token={access}; cognito_id_token={browser.Cookies["cognito_id_token"]}";
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = App.Balancer.BaseAddress };

        var before = new[] { await ProfileAsync(client, oldCookies), await ProfileAsync(client, oldCookies) };
        before.Should().OnlyContain(r => r.Status == HttpStatusCode.OK, "the token cookies alone are a valid session on either instance");
        before.Select(r => r.Instance).Should().BeEquivalentTo(["A", "B"]);

        using var form = await browser.GetAsync("/Account/Logout");
        var token = AntiforgeryToken(await form.Content.ReadAsStringAsync());
        using var signOut = await browser.Http.PostAsync(new Uri("/Account/Logout", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        signOut.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var signedOutOn = App.InstanceOf(signOut);

        // Round-robin: of two consecutive requests one lands on the instance that did not sign out.
        var after = new[] { await ProfileAsync(client, oldCookies), await ProfileAsync(client, oldCookies) };
        output.WriteLine($"signed out on {signedOutOn}; old cookies then: " + string.Join(", ", after.Select(r => $"{r.Instance} {(int)r.Status} {r.Location}")));
        after.Select(r => r.Instance).Should().Contain(i => i != signedOutOn, "one replay reached the other instance");
        after.Should().OnlyContain(r => r.Status == HttpStatusCode.Redirect && r.Location.StartsWith("/Account/Login", StringComparison.Ordinal),
            "instance {0} signed the session out; the old cookies must not open it anywhere", signedOutOn);
        new JsonWebToken(access).ValidTo.Should().BeAfter(DateTime.UtcNow, "the refusal is the sign-out's doing, not the token's age");
    }

    private async Task<(HttpStatusCode Status, string Instance, string Location)> ProfileAsync(HttpClient client, string cookies)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Profile");
        request.Headers.Add("Cookie", cookies);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, App.InstanceOf(response), response.Headers.Location?.OriginalString ?? string.Empty);
    }
}
