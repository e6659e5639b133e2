using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Sessions;

namespace CleanCognito.Web.Authentication;

/// <summary>
/// Refreshes a session at most once however many requests ask at the same time, on however many
/// instances (<see cref="ISharedFlight"/>): a page that fires 20 requests with an expired access token
/// costs one call to the token endpoint. Requests arriving shortly after, still carrying the old
/// cookies, reuse the result too (<see cref="ReuseWindow"/>). A refused refresh (null) is shared the
/// same way; a failure (the pool unreachable) is not remembered, so the next request tries again.
/// </summary>
internal sealed class SessionRefresher(ISharedFlight flight, ISignedOutSessions signedOut, IServiceScopeFactory scopes)
{
    /// <summary>How long a refresh result is handed to requests that still carry the old cookies.</summary>
    public static readonly TimeSpan ReuseWindow = TimeSpan.FromSeconds(30);

    /// <summary>New tokens (null: the user pool refused the refresh token) and whether this caller's call reached the pool.</summary>
    public async Task<(SessionTokens? Tokens, bool Started)> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        if (signedOut.IsRefreshTokenSignedOut(refreshToken))
        {
            // Signed out here or on another instance: neither the pool nor a shared result may renew it.
            // A result shared before the sign-out is refused later anyway: its tokens carry the signed-out origin_jti.
            return (null, false);
        }

        var started = false;
        // Keyed by a hash (the flight hashes it again): no store or log ever holds the token itself.
        var tokens = await flight.RunAsync<SessionTokens?>(SessionSignOut.RefreshTokenId(refreshToken), async token =>
        {
            started = true;
            await using var scope = scopes.CreateAsyncScope();
            var refreshed = await scope.ServiceProvider.GetRequiredService<IUserPoolClient>().RefreshAsync(refreshToken, token);
            return new SharedResult<SessionTokens?>(refreshed, ReuseWindow);
        }, cancellationToken);
        return (tokens, started);
    }
}
