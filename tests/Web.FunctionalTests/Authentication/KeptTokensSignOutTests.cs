using System.Net;
using CleanCognito.Infrastructure.Cognito;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.Extensions.DependencyInjection;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary>
/// The validated-token cache does not outlive a sign-out: the tokens stay kept as validated (they
/// are genuine and within exp), and the session's denylist, checked after the cache on every
/// request, refuses them. Across instances the same holds through the shared denylist
/// (<see cref="Instances.PairedSignOutTests"/>: the other instance had accepted, so kept, the tokens).
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class KeptTokensSignOutTests(LocalAwsStack stack)
{
    [Fact]
    public async Task A_signed_out_session_is_refused_although_its_tokens_are_kept_as_validated()
    {
        using var app = LocalSignIn.App(stack);
        using var client = app.CreateHttpsClient();
        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/Account/Profile");
        var copied = LocalSignIn.CookieHeader(signIn);
        using (var before = await LocalSignIn.ReplayAsync(app, copied))
        {
            before.StatusCode.Should().Be(HttpStatusCode.OK, "the copied cookies work until the sign-out");
        }

        var kept = app.Services.GetRequiredService<ValidatedTokenCache>();
        kept.Holds(signIn.Cookie("cognito_access_token")).Should().BeTrue();
        kept.Holds(signIn.Cookie("cognito_id_token")).Should().BeTrue();

        using (var logout = await LocalSignIn.PostLogoutAsync(client))
        {
            logout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        using var replay = await LocalSignIn.ReplayAsync(app, copied);

        kept.Holds(signIn.Cookie("cognito_access_token")).Should().BeTrue("the tokens themselves are still genuine and within exp: this request was a cache hit");
        replay.StatusCode.Should().Be(HttpStatusCode.Redirect, "the denylist after the cache refused the signed-out session");
        replay.Headers.Location!.OriginalString.Should().Be("/Account/Login?returnUrl=%2FAccount%2FProfile");
    }
}
