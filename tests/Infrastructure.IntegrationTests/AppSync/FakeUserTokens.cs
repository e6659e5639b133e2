using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Infrastructure.IntegrationTests.AppSync;

/// <summary>Hands out a fixed access token; a refresh returns <see cref="RefreshedToken"/> (or null: sign in again).</summary>
internal sealed class FakeUserTokens(string accessToken) : ICurrentUserTokens
{
    public string? RefreshedToken { get; set; }

    /// <summary>The token handed out now; a test changes it to act as another call that renewed the session.</summary>
    public string AccessToken { get; set; } = accessToken;

    public int Refreshes { get; private set; }

    public UserTokens GetTokens() => Tokens(AccessToken);

    public ValueTask<UserTokens?> RefreshAsync(CancellationToken cancellationToken)
    {
        Refreshes++;
        return ValueTask.FromResult(RefreshedToken is null ? null : Tokens(RefreshedToken));
    }

    public string? GetRefreshToken() => null;

    private static UserTokens Tokens(string access) =>
        new(access, "id-token", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_CcLocal01", "sub-alice", DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow.AddHours(1));
}
