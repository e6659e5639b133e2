using System.Collections.Concurrent;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Telemetry;

namespace CleanCognito.Application.Common.Credentials;

/// <summary>
/// Keeps what the identity pool keeps stable, instead of the flask-cognito-lib example's two calls on every request.
/// Why it lives in Application, not beside the Refit adapter: see docs/decisions/0002-identity-pool-credentials-and-files.md (Credentials).
/// Entries live in an <see cref="ICredentialStore"/> (keyed by the user's <c>sub</c> and the
/// IdentityId); a miss goes through an <see cref="ISharedFlight"/>, so however many requests miss at
/// once, on however many instances, one GetId and one GetCredentialsForIdentity are made.
/// </summary>
public sealed class CredentialCache : ICredentialCache, IDisposable
{
    // Identities unused this long after their credentials expired are announced as evicted, so holders
    // of clients (S3ClientPool) do not grow with every user who ever signed in and never signed out.
    private static readonly TimeSpan IdleAfterExpiry = TimeSpan.FromHours(1);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(10);

    private readonly ICredentialExchange _exchange;
    private readonly ICredentialStore _store;
    private readonly ISharedFlight _flight;
    private readonly TimeProvider _time;
    private readonly CredentialCachePolicy _policy;
    private readonly AppMetrics? _metrics;

    // The identities this instance handed out credentials for, with their latest expiry: what the sweep
    // and sign-out announce. The credentials themselves live in the store.
    private readonly ConcurrentDictionary<string, Served> _served = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    /// <param name="metrics">Hits and misses; null where nobody counts them (unit tests of the caching rules).</param>
    public CredentialCache(
        ICredentialExchange exchange, ICredentialStore store, ISharedFlight flight, TimeProvider time, CredentialCachePolicy policy, AppMetrics? metrics = null)
    {
        _exchange = exchange;
        _store = store;
        _flight = flight;
        _time = time;
        _policy = policy;
        _metrics = metrics;
        // Sign-out on any instance reaches this one through the store.
        _store.IdentityRemoved += OnIdentityRemoved;
    }

    public event Action<string>? IdentityEvicted;

    public async ValueTask<string> GetIdentityIdAsync(UserTokens tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        SweepIfDue();

        return await _store.GetIdentityIdAsync(tokens.UserId, cancellationToken)
            ?? await _flight.RunAsync($"identity-id:{tokens.UserId}", async token =>
            {
                // Whoever ran this flight before us (here or on another instance) may have stored it already.
                var identityId = await _store.GetIdentityIdAsync(tokens.UserId, token)
                    ?? await _exchange.GetIdentityIdAsync(tokens, token);
                await _store.SetIdentityIdAsync(tokens.UserId, identityId, token);
                return new SharedResult<string>(identityId, TimeSpan.Zero);
            }, cancellationToken);
    }

    public async ValueTask<IdentityCredentials> GetAsync(UserTokens tokens, CancellationToken cancellationToken) =>
        await GetAsync(tokens, await GetIdentityIdAsync(tokens, cancellationToken), cancellationToken);

    public async ValueTask<IdentityCredentials> GetAsync(UserTokens tokens, string identityId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentException.ThrowIfNullOrEmpty(identityId);
        // The caller's own tokens refresh the entry when it is stale: nothing is kept for later callers.
        // A miss is the look-up whose own flight exchanged; every other caller was served without one.
        var exchanged = false;
        var entry = await FreshOrNullAsync(identityId, cancellationToken)
            ?? await _flight.RunAsync($"credentials:{identityId}", async token =>
            {
                var fresh = await FreshOrNullAsync(identityId, token);
                if (fresh is null)
                {
                    exchanged = true;
                    var credentials = await _exchange.GetCredentialsAsync(identityId, tokens, token);
                    fresh = CachedCredentials.For(credentials, _time.GetUtcNow(), _policy.RefreshMargin);
                    await _store.SetCredentialsAsync(fresh, token);
                }

                return new SharedResult<CachedCredentials>(fresh, TimeSpan.Zero);
            }, cancellationToken);

        _metrics?.CredentialLookup(hit: !exchanged);
        _served[identityId] = new Served(tokens.UserId, entry.Credentials.Expiration);
        return entry.Credentials;
    }

    /// <summary>Sign-out (<c>SignOutCommand</c>) forgets the user's identity and credentials, on every instance.</summary>
    public async Task EvictAsync(string userId, CancellationToken cancellationToken)
    {
        var identityId = await _store.GetIdentityIdAsync(userId, cancellationToken)
            ?? _served.FirstOrDefault(s => s.Value.UserId == userId).Key;
        // The store raises IdentityRemoved here and on the other instances (OnIdentityRemoved).
        await _store.RemoveAsync(userId, identityId, cancellationToken);
    }

    public void Dispose() => _store.IdentityRemoved -= OnIdentityRemoved;

    private async ValueTask<CachedCredentials?> FreshOrNullAsync(string identityId, CancellationToken cancellationToken) =>
        await _store.GetCredentialsAsync(identityId, cancellationToken) is { } cached && cached.IsFreshAt(_time.GetUtcNow()) ? cached : null;

    private void OnIdentityRemoved(string identityId)
    {
        _served.TryRemove(identityId, out _);
        IdentityEvicted?.Invoke(identityId);
    }

    private void SweepIfDue()
    {
        var now = _time.GetUtcNow();
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var (identityId, served) in _served)
        {
            if (served.Expiration + IdleAfterExpiry < now && _served.TryRemove(KeyValuePair.Create(identityId, served)))
            {
                IdentityEvicted?.Invoke(identityId);
            }
        }
    }

    private sealed record Served(string UserId, DateTimeOffset Expiration);
}
