using System.Security.Claims;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Objects.GetMyObject;
using CleanCognito.TestSupport;
using CleanCognito.Web.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary>
/// AppSync's 401 → renew → resend, through the app's own services against the stand-ins: the AppSync
/// stand-in refuses the expired access token, the refresh goes to the user pool stand-in once.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class AppSyncRenewalTests(LocalAwsStack stack) : IAsyncLifetime
{
    private const string SeededId = "1234567890abcdef";
    private static readonly Dictionary<string, string?> NoLeeway = new() { ["Cognito:ExpirationLeewaySeconds"] = "0" };

    public Task InitializeAsync() => stack.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Concurrent_AppSync_calls_refused_with_401_share_one_refresh_and_each_is_resent_once()
    {
        using var app = LocalSignIn.App(stack, LocalAwsStack.ShortLivedClientId, NoLeeway);
        using var hostedUi = HostedUiClient.For(stack, LocalAwsStack.ShortLivedClientId);
        var signedIn = await hostedUi.SignInAsync(stack.Alice.Username, stack.Alice.Password);
        await Expiry.WaitPastAsync(signedIn.AccessToken);
        var refreshes = await LocalSignIn.StatAsync(stack, "token:refresh_token");

        // A request whose session still holds the expired tokens (as if they expired mid-request).
        var context = new DefaultHttpContext();
        var held = RequestSession.Of(context, app.Services.GetRequiredService<TokenCookies>());
        var past = DateTimeOffset.UtcNow.AddSeconds(-1);
        held.Keep(new CognitoSession(
            new ClaimsPrincipal(new ClaimsIdentity()),
            new UserTokens(signedIn.AccessToken, signedIn.IdToken, stack.Issuer, "alice", past, past),
            new RefreshTokenCookie(signedIn.RefreshToken)));
        app.Services.GetRequiredService<IHttpContextAccessor>().HttpContext = context;
        using var scope = app.Services.CreateScope();
        context.RequestServices = scope.ServiceProvider;
        var gateway = scope.ServiceProvider.GetRequiredService<IGraphQlGateway>();

        var objects = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => new GetMyObjectQueryHandler(gateway).Handle(new GetMyObjectQuery(SeededId), default).AsTask()));

        objects.Should().OnlyContain(o => o.Name == "My first object");
        (await LocalSignIn.StatAsync(stack, "token:refresh_token")).Should().Be(refreshes + 1, "eight calls refused at once share one refresh");
        held.Session!.Tokens.AccessToken.Should().NotBe(signedIn.AccessToken, "the renewal replaced the request's tokens");
        context.Response.Headers.SetCookie.Should().BeEmpty("nothing writes cookies before the response starts");
    }
}
