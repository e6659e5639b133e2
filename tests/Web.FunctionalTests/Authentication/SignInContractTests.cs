using System.Net;
using System.Security.Cryptography;
using System.Web;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary>
/// The sign-in contract against the user-pool stand-in: the authorize request carries PKCE (S256),
/// state and nonce; a callback whose state, code or ID-token nonce is not the one this browser's
/// sign-in started with ends on the sign-in-failed page and writes no session cookie.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class SignInContractTests(LocalAwsStack stack)
{
    [Fact]
    public async Task The_authorize_request_carries_S256_pkce_state_and_nonce()
    {
        using var app = LocalSignIn.App(stack);
        using var client = app.CreateHttpsClient();

        var authorize = await AppSignIn.StartAsync(client, "/Account/Profile");
        var query = HttpUtility.ParseQueryString(authorize.Query);

        authorize.GetLeftPart(UriPartial.Path).Should().Be($"{stack.Idp}/oauth2/authorize");
        query["response_type"].Should().Be("code");
        query["client_id"].Should().Be(LocalAwsStack.PublicClientId);
        query["code_challenge_method"].Should().Be("S256");
        // S256: base64url of a SHA-256 digest, 43 characters without padding.
        query["code_challenge"].Should().MatchRegex("^[A-Za-z0-9_-]{43}$");
        query["state"].Should().NotBeNullOrWhiteSpace();
        query["state"]!.Length.Should().BeGreaterThanOrEqualTo(32, "the state is the app's protected correlation data");
        query["nonce"].Should().NotBeNullOrWhiteSpace();
        query["nonce"]!.Length.Should().BeGreaterThanOrEqualTo(32);
        query["scope"]!.Split(' ').Should().Contain("openid");

        var again = HttpUtility.ParseQueryString((await AppSignIn.StartAsync(client, "/Account/Profile")).Query);
        again["state"].Should().NotBe(query["state"], "each sign-in has its own state");
        again["nonce"].Should().NotBe(query["nonce"], "and its own nonce");
        again["code_challenge"].Should().NotBe(query["code_challenge"], "and its own PKCE verifier");
    }

    [Fact]
    public async Task The_pool_checks_the_verifier_against_the_challenge_the_app_sent()
    {
        // The stand-in refuses a code redeemed without the matching verifier (as Cognito does), so a
        // successful sign-in proves the app sent the verifier of the S256 challenge above.
        using var app = LocalSignIn.App(stack);
        using var client = app.CreateHttpsClient();

        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/Account/Profile");

        signIn.LandedOn.Should().Be("/Account/Profile");
        signIn.Cookie("cognito_access_token").Should().StartWith("ey");
    }

    [Fact]
    public async Task A_callback_with_a_wrong_state_ends_on_the_sign_in_failed_page()
    {
        using var app = LocalSignIn.App(stack);
        using var client = app.CreateHttpsClient();
        var callback = await CallbackAsync(client, "/Account/Profile");

        var forged = WithQuery(callback, "state", Tamper(HttpUtility.ParseQueryString(callback.Query)["state"]!));
        using var response = await client.GetAsync(forged);

        AssertSignInFailed(response);
    }

    [Fact]
    public async Task A_callback_with_the_state_of_another_browsers_sign_in_ends_on_the_sign_in_failed_page()
    {
        using var app = LocalSignIn.App(stack);
        using var victim = app.CreateHttpsClient();
        using var attacker = app.CreateHttpsClient();
        var attackersCallback = await CallbackAsync(attacker, "/Account/Profile");
        await AppSignIn.StartAsync(victim, "/Account/Profile");

        // Login CSRF: the attacker's code and state, delivered to a victim with a sign-in of their own.
        using var response = await victim.GetAsync(new Uri(attackersCallback.PathAndQuery, UriKind.Relative));

        AssertSignInFailed(response);
    }

    [Fact]
    public async Task A_replayed_code_ends_on_the_sign_in_failed_page()
    {
        using var app = LocalSignIn.App(stack);
        using var first = app.CreateHttpsClient();
        var callback = await CallbackAsync(first, "/Account/Profile");
        using (var ok = await first.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative)))
        {
            ok.Headers.Location!.OriginalString.Should().Be("/Account/Profile");
        }

        // Same browser, a new sign-in's state and correlation cookie, the old (used) code.
        using var second = app.CreateHttpsClient();
        var fresh = await CallbackAsync(second, "/Account/Profile");
        var replay = WithQuery(fresh, "code", HttpUtility.ParseQueryString(callback.Query)["code"]!);
        using var response = await second.GetAsync(replay);

        AssertSignInFailed(response);
    }

    [Fact]
    public async Task An_id_token_whose_nonce_is_not_this_sign_ins_ends_on_the_sign_in_failed_page()
    {
        using var app = LocalSignIn.App(stack);
        using var client = app.CreateHttpsClient();
        var authorize = await AppSignIn.StartAsync(client, "/Account/Profile");

        // The pool puts the nonce it was given into the ID token: give it another one.
        var otherNonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        using var idp = HostedUiClient.NewHttpClient();
        using var post = await HostedUiClient.PostSignInFormAsync(idp, WithQuery(authorize, "nonce", otherNonce), stack.Alice.Username, stack.Alice.Password);
        post.StatusCode.Should().Be(HttpStatusCode.Found);
        using var response = await client.GetAsync(new Uri(post.Headers.Location!.PathAndQuery, UriKind.Relative));

        AssertSignInFailed(response);
    }

    /// <summary>Starts a sign-in in <paramref name="client"/> and signs in at the hosted UI: the app callback URL it would follow.</summary>
    private async Task<Uri> CallbackAsync(HttpClient client, string returnUrl)
    {
        var authorize = await AppSignIn.StartAsync(client, returnUrl);
        using var idp = HostedUiClient.NewHttpClient();
        using var post = await HostedUiClient.PostSignInFormAsync(idp, authorize, stack.Alice.Username, stack.Alice.Password);
        post.StatusCode.Should().Be(HttpStatusCode.Found);
        return new Uri(client.BaseAddress!, post.Headers.Location!.PathAndQuery);
    }

    private static void AssertSignInFailed(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().EndWith("/Account/SignInFailed");
        response.Headers.TryGetValues("Set-Cookie", out var set);
        (set ?? []).Should().NotContain(c => c.StartsWith("cognito_access_token=ey", StringComparison.Ordinal) || c.StartsWith("cognito_id_token=ey", StringComparison.Ordinal));
    }

    private static Uri WithQuery(Uri uri, string name, string value)
    {
        var query = HttpUtility.ParseQueryString(uri.Query);
        query[name] = value;
        return new UriBuilder(uri) { Query = query.ToString() }.Uri;
    }

    /// <summary>The same state with one character changed: protected data that no longer verifies.</summary>
    private static string Tamper(string state)
    {
        var chars = state.ToCharArray();
        var i = chars.Length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}
