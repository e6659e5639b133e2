using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.TestSupport.Web;

/// <summary>
/// The tokens of a test-scheme user. With the real scheme a signed-in user always has tokens, so a
/// page that calls AWS (the home page's summary) meets an upstream, not a missing session: these
/// placeholders are not JWTs and only ever reach the unreachable default upstreams. Tests that need
/// tokens an upstream accepts replace this (e.g. with tokens from <see cref="HostedUiClient"/>).
/// </summary>
public sealed class TestUserTokens(TestUser user) : ICurrentUserTokens
{
    public UserTokens GetTokens()
    {
        var expires = DateTimeOffset.UtcNow.AddHours(1);
        return new UserTokens("test-access-token", "test-id-token", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_CcTest001", user.Sub, expires, expires);
    }

    public ValueTask<UserTokens?> RefreshAsync(CancellationToken cancellationToken) => ValueTask.FromResult<UserTokens?>(null);

    public string? GetRefreshToken() => null;
}
