using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using CleanCognito.Application.Common.Security;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CleanCognito.Infrastructure.Cognito;

/// <summary>
/// Verdicts of tokens that validated, so the cookie pair a browser sends on every request until it
/// expires is checked by a lookup instead of a signature verification each time. Only
/// <see cref="TokenStatus.Valid"/> verdicts are kept, so filling the cache takes genuine tokens.
/// <list type="bullet">
/// <item>Keyed by the token's <see cref="SecretKey"/>: the cache never holds a token (the identity it keeps is a
/// copy of the claims, without the token the JWT library would attach).</item>
/// <item>Bounded: at most <see cref="CognitoOptions.ValidatedTokenCacheSize"/> entries, ever (0 turns
/// the cache off). When full, expired entries go first, then a quarter of the rest, arbitrarily:
/// a dropped entry costs one full validation, nothing more.</item>
/// <item>What makes a hit valid is decided by <see cref="CognitoTokenValidator"/> on every hit:
/// <c>exp</c> (plus leeway) against the <see cref="TimeProvider"/>, and the key that verified the
/// signature still being one of the pool's current keys.</item>
/// </list>
/// Sign-out is not this cache's business: the session's denylist is checked after it, on every
/// request, hit or not.
/// </summary>
public sealed class ValidatedTokenCache(IOptions<CognitoOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<TokenHash, Entry> _entries = new();
    private readonly Lock _evicting = new();

    // Slots are reserved before an insert and released after a removal, so the dictionary never
    // holds more than the bound, even for an instant under concurrent inserts. (The counter itself
    // may pass the bound for an instant: a reservation that does not fit is taken back at once.)
    private int _reserved;

    /// <summary>How many verdicts are kept now (counts the dictionary, which takes all its locks: for tests and diagnostics).</summary>
    public int Count => _entries.Count;

    /// <summary>The most it will ever keep.</summary>
    public int Capacity => options.Value.ValidatedTokenCacheSize;

    /// <summary>The token's <see cref="SecretKey"/> as bytes: no allocation.</summary>
    public static TokenHash Hash(string token)
    {
        Span<byte> digest = stackalloc byte[SecretKey.Size];
        SecretKey.Hash("validated-token", token, digest);
        return MemoryMarshal.Read<TokenHash>(digest);
    }

    /// <summary>Whether a verdict on <paramref name="token"/> is kept (for tests and diagnostics).</summary>
    public bool Holds(string token) => _entries.ContainsKey(Hash(token));

    internal Entry? Find(TokenHash hash) => _entries.TryGetValue(hash, out var entry) ? entry : null;

    internal void Add(TokenHash hash, Entry entry)
    {
        var capacity = Capacity;
        if (capacity <= 0)
        {
            return;
        }

        if (!TryReserve(capacity))
        {
            EvictFrom(capacity);
            if (!TryReserve(capacity))
            {
                // Another request filled the room first: this verdict is simply not kept.
                return;
            }
        }

        if (!_entries.TryAdd(hash, entry))
        {
            Interlocked.Decrement(ref _reserved);
        }
    }

    internal void Remove(TokenHash hash)
    {
        if (_entries.TryRemove(hash, out _))
        {
            Interlocked.Decrement(ref _reserved);
        }
    }

    private bool TryReserve(int capacity)
    {
        if (Interlocked.Increment(ref _reserved) <= capacity)
        {
            return true;
        }

        Interlocked.Decrement(ref _reserved);
        return false;
    }

    private void EvictFrom(int capacity)
    {
        // One request sweeps; the others do not queue behind it (their verdicts just are not kept).
        if (!_evicting.TryEnter())
        {
            return;
        }

        try
        {
            var now = time.GetUtcNow();
            foreach (var (hash, entry) in _entries)
            {
                if (entry.Check.ExpiresAt <= now)
                {
                    Remove(hash);
                }
            }

            var excess = Volatile.Read(ref _reserved) - (capacity - Math.Max(1, capacity / 4));
            foreach (var hash in _entries.Keys)
            {
                if (excess-- <= 0)
                {
                    break;
                }

                Remove(hash);
            }
        }
        finally
        {
            _evicting.Exit();
        }
    }

    /// <summary>A kept verdict: what to answer, for which kind of token, and the key that verified it.</summary>
    internal sealed record Entry(TokenUse Use, TokenCheck Check, SecurityKey SigningKey);
}
