using System.Diagnostics;
using System.Net;
using CleanCognito.Infrastructure.Cognito;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary>
/// The user pool rotates its signing keys while the app runs (the stand-in's <c>/_local/rotate-keys</c>):
/// the sign-in handler and the cookie validator share one JWKS cache, so a new sign-in works at once
/// (within the 30 s penalty window at worst) and sessions signed with the old key go cleanly to sign-in.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class KeyRotationTests(LocalAwsStack stack, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task After_a_key_rotation_a_new_sign_in_succeeds_within_30_s_and_old_cookies_lead_to_sign_in()
    {
        using var app = LocalSignIn.App(stack);
        using var before = app.CreateHttpsClient();
        var old = await AppSignIn.SignInAsync(before, stack.Alice.Username, stack.Alice.Password, "/Account/Profile");
        using (var profile = await before.GetAsync(new Uri("/Account/Profile", UriKind.Relative)))
        {
            profile.StatusCode.Should().Be(HttpStatusCode.OK, "the app has the keys of before the rotation");
        }

        // The old session's verdicts are kept by hash: what follows shows a kept verdict is not
        // served once its key has left the key set.
        var kept = app.Services.GetRequiredService<ValidatedTokenCache>();
        kept.Holds(old.Cookie("cognito_access_token")).Should().BeTrue();
        kept.Holds(old.Cookie("cognito_id_token")).Should().BeTrue();

        await RotateKeysAsync();

        // Every attempt is a complete new sign-in, one right after the other.
        var clock = Stopwatch.StartNew();
        var attempts = 0;
        var lastFailure = "no attempt yet";
        await Eventually.TrueAsync("a new sign-in succeeds after the rotation", async () =>
        {
            attempts++;
            using var fresh = app.CreateHttpsClient();
            var signIn = await AppSignIn.SignInAsync(fresh, stack.Alice.Username, stack.Alice.Password, "/Account/Profile");
            using var profile = await fresh.GetAsync(new Uri("/Account/Profile", UriKind.Relative));
            lastFailure = $"landed on {signIn.LandedOn}, profile {(int)profile.StatusCode}";
            return signIn.LandedOn == "/Account/Profile" && profile.StatusCode == HttpStatusCode.OK;
        }, Deadline, every: TimeSpan.Zero, lastSeen: () => lastFailure);

        output.WriteLine($"key rotation: new sign-in succeeded after {attempts} attempt(s), {clock.Elapsed.TotalSeconds:F2} s after the rotation");
        attempts.Should().Be(1, "the shared cache fetches the new JWKS for the first token with the new kid");

        using var stale = app.CreateHttpsClient(keepCookies: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Profile");
        request.Headers.Add("Cookie", $"cognito_access_token={old.Cookie("cognito_access_token")}; cognito_id_token={old.Cookie("cognito_id_token")}");
        using var oldSession = await stale.SendAsync(request);
        oldSession.StatusCode.Should().Be(HttpStatusCode.Redirect);
        oldSession.Headers.Location!.OriginalString.Should().Be("/Account/Login?returnUrl=%2FAccount%2FProfile");
        var cleared = oldSession.Headers.GetValues("Set-Cookie").Where(c => c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)).ToList();
        cleared.Should().Contain(c => c.StartsWith("cognito_access_token=", StringComparison.Ordinal))
            .And.Contain(c => c.StartsWith("cognito_id_token=", StringComparison.Ordinal));
        kept.Holds(old.Cookie("cognito_access_token")).Should().BeFalse("a verdict whose key is gone is forgotten");
    }

    private async Task RotateKeysAsync()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri($"{stack.Idp}/_local/rotate-keys"), null);
        response.EnsureSuccessStatusCode();
    }
}
