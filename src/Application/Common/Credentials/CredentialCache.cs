using System.Collections.Concurrent;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Telemetry;

namespace CleanCognito.Application.Common.Credentials;

/// <summary>
/// Keeps what the identity pool keeps stable, instead of the flask-cognito-lib example's two calls on every request.
/// Why it lives in Application, not beside the Refit adapter: see docs/decisions/0002-identity-pool-credentials-and-files.md (Credentials).
/// One instance per app (singleton): entries are keyed by the user's <c>sub</c> and the IdentityId.
/// </summary>
/// <param name="metrics">Hits and misses; null where nobody counts them (unit tests of the caching rules).</param>
public sealed class CredentialCache(ICredentialExchange exchange, TimeProvider time, CredentialCachePolicy policy, AppMetrics? metrics = null) : ICredentialCache
{
    // Entries unused this long after their credentials expired are dropped, so the cache does not
    // grow with every user who ever signed in and never signed out.
    private static readonly TimeSpan IdleAfterExpiry = TimeSpan.FromHours(1);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, UserEntry> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IdentityEntry> _identities = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    public event Action<string>? IdentityEvicted;

    public async ValueTask<string> GetIdentityIdAsync(UserTokens tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        SweepIfDue();

        var user = _users.GetOrAdd(tokens.UserId, _ => new UserEntry());
        return user.IdentityId ?? await ResolveIdentityIdAsync(user, tokens, cancellationToken);
    }

    public async ValueTask<IdentityCredentials> GetAsync(UserTokens tokens, CancellationToken cancellationToken)
    {
        var identityId = await GetIdentityIdAsync(tokens, cancellationToken);
        var identity = _identities.GetOrAdd(identityId, id => new IdentityEntry(id, tokens.UserId));
        // The caller's own tokens refresh the entry when it is stale: nothing is kept for later callers.
        return await CredentialsAsync(identity, tokens, cancellationToken);
    }

    /// <summary>Sign-out (<c>SignOutCommand</c>) forgets the user's identity and credentials.</summary>
    public void Evict(string userId)
    {
        _users.TryRemove(userId, out _);
        foreach (var (identityId, entry) in _identities)
        {
            if (entry.UserId == userId && _identities.TryRemove(identityId, out _))
            {
                IdentityEvicted?.Invoke(identityId);
            }
        }
    }

    private async Task<string> ResolveIdentityIdAsync(UserEntry user, UserTokens tokens, CancellationToken cancellationToken)
    {
        await user.Gate.WaitAsync(cancellationToken);
        try
        {
            // Whoever held the gate before us may have resolved it already.
            return user.IdentityId ??= await exchange.GetIdentityIdAsync(tokens, cancellationToken);
        }
        finally
        {
            user.Gate.Release();
        }
    }

    private async ValueTask<IdentityCredentials> CredentialsAsync(IdentityEntry identity, UserTokens tokens, CancellationToken cancellationToken)
    {
        if (identity.FreshOrNull(time.GetUtcNow()) is { } cached)
        {
            metrics?.CredentialLookup(hit: true);
            return cached;
        }

        // Single flight: the first caller fetches, the others wait here and find the new entry. If
        // the first caller is cancelled, the next waiter fetches instead.
        await identity.Gate.WaitAsync(cancellationToken);
        try
        {
            if (identity.FreshOrNull(time.GetUtcNow()) is { } fetchedMeanwhile)
            {
                metrics?.CredentialLookup(hit: true);
                return fetchedMeanwhile;
            }

            metrics?.CredentialLookup(hit: false);
            var credentials = await exchange.GetCredentialsAsync(identity.IdentityId, tokens, cancellationToken);
            identity.Store(credentials, time.GetUtcNow(), policy.RefreshMargin);
            return credentials;
        }
        finally
        {
            identity.Gate.Release();
        }
    }

    private void SweepIfDue()
    {
        var now = time.GetUtcNow();
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var (identityId, entry) in _identities)
        {
            if (entry.Current is { } current && current.Expiration + IdleAfterExpiry < now && _identities.TryRemove(identityId, out _))
            {
                _users.TryRemove(entry.UserId, out _);
                IdentityEvicted?.Invoke(identityId);
            }
        }
    }

    private sealed class UserEntry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public string? IdentityId { get; set; }
    }

    private sealed class IdentityEntry(string identityId, string userId)
    {
        // Read and written with Volatile: requests read it without taking the gate.
        private Snapshot? _snapshot;

        public string IdentityId { get; } = identityId;

        public string UserId { get; } = userId;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IdentityCredentials? Current => Volatile.Read(ref _snapshot)?.Credentials;

        public IdentityCredentials? FreshOrNull(DateTimeOffset now) =>
            Volatile.Read(ref _snapshot) is { } snapshot && now < snapshot.RefreshAt ? snapshot.Credentials : null;

        public void Store(IdentityCredentials credentials, DateTimeOffset now, TimeSpan margin)
        {
            // Credentials that live shorter than twice the margin (a test pool, a clock apart) would
            // otherwise be fetched again on every request: refresh those half-way instead.
            var lifetime = credentials.Expiration - now;
            var effectiveMargin = lifetime < 2 * margin ? lifetime / 2 : margin;
            Volatile.Write(ref _snapshot, new Snapshot(credentials, credentials.Expiration - effectiveMargin));
        }

        private sealed record Snapshot(IdentityCredentials Credentials, DateTimeOffset RefreshAt);
    }
}
