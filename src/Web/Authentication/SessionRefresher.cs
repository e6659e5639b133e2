using System.Collections.Concurrent;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Sessions;

namespace CleanCognito.Web.Authentication;

/// <summary>
/// Refreshes a session at most once however many requests ask at the same time: a page that
/// fires 20 requests with an expired access token costs one call to the token endpoint. Requests
/// arriving shortly after, still carrying the old cookies, reuse the result too.
/// </summary>
internal sealed class SessionRefresher(IServiceScopeFactory scopes, ISignedOutSessions signedOut, TimeProvider time)
{
    private static readonly TimeSpan ReuseWindow = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Flight> _flights = new(StringComparer.Ordinal);

    /// <summary>New tokens, or null when the user pool refused the refresh token.</summary>
    /// <param name="refreshToken">The session's refresh token.</param>
    /// <param name="started">True for the one caller whose call reached the user pool; the others share its result.</param>
    public Task<SessionTokens?> RefreshAsync(string refreshToken, out bool started)
    {
        if (signedOut.IsRefreshTokenSignedOut(refreshToken))
        {
            // Signed out (here or on another instance): neither the pool nor a shared result may renew it.
            started = false;
            return Task.FromResult<SessionTokens?>(null);
        }

        var now = time.GetUtcNow();
        foreach (var stale in _flights.Where(f => now - f.Value.StartedAt > ReuseWindow))
        {
            _flights.TryRemove(stale);
        }

        var key = Key(refreshToken);
        var created = new Flight(new Lazy<Task<SessionTokens?>>(() => RunAsync(key, refreshToken)), now);
        var flight = _flights.GetOrAdd(key, created);
        started = ReferenceEquals(flight, created);
        return flight.Result.Value;
    }

    // Keyed by a hash: the dictionary never holds the token itself.
    private static string Key(string refreshToken) => SessionSignOut.RefreshTokenId(refreshToken);

    private async Task<SessionTokens?> RunAsync(string key, string refreshToken)
    {
        try
        {
            // Its own scope and no request token: one caller's aborted request must not fail the others.
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IUserPoolClient>().RefreshAsync(refreshToken, CancellationToken.None);
        }
        catch
        {
            // A failure (upstream down) is not remembered: the next request may try again.
            _flights.TryRemove(key, out _);
            throw;
        }
    }

    private sealed record Flight(Lazy<Task<SessionTokens?>> Result, DateTimeOffset StartedAt);
}
