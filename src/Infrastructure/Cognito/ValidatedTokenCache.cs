using System.Runtime.InteropServices;
using CleanCognito.Application.Common.Security;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Internal;
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
/// <item>Bounded: a <see cref="MemoryCache"/> with <c>SizeLimit</c> = <see cref="CognitoOptions.ValidatedTokenCacheSize"/>
/// entries, ever (0 turns the cache off). When full, expired entries go first, then a quarter of the
/// rest, least recently used first: a dropped entry costs one full validation, nothing more. (It
/// replaced a hand-rolled dictionary: both hit in a few µs, almost all of it the token's hash; see
/// docs/BENCHMARKS.md, "validated-token cache".)</item>
/// <item>What makes a hit valid is decided by <see cref="CognitoTokenValidator"/> on every hit:
/// <c>exp</c> (plus leeway) against the <see cref="TimeProvider"/>, and the key that verified the
/// signature still being one of the pool's current keys.</item>
/// </list>
/// Sign-out is not this cache's business: the session's denylist is checked after it, on every
/// request, hit or not.
/// </summary>
// MemoryCache holds no timer or unmanaged resource (expired entries are scanned on access), so this
// singleton needs no Dispose of its own.
#pragma warning disable CA1001
public sealed class ValidatedTokenCache
#pragma warning restore CA1001
{
    private readonly MemoryCache? _cache;

    public ValidatedTokenCache(IOptions<CognitoOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        Capacity = options.Value.ValidatedTokenCacheSize;
        if (Capacity > 0)
        {
            _cache = new MemoryCache(Options.Create(new MemoryCacheOptions
            {
                SizeLimit = Capacity,
                CompactionPercentage = 0.25,
                Clock = new TimeProviderClock(time),
            }));
        }
    }

    /// <summary>How many verdicts are kept now (for tests and diagnostics).</summary>
    public int Count => _cache?.Count ?? 0;

    /// <summary>The most it will ever keep.</summary>
    public int Capacity { get; }

    /// <summary>The token's <see cref="SecretKey"/> as bytes: no allocation.</summary>
    public static TokenHash Hash(string token)
    {
        Span<byte> digest = stackalloc byte[SecretKey.Size];
        SecretKey.Hash("validated-token", token, digest);
        return MemoryMarshal.Read<TokenHash>(digest);
    }

    /// <summary>Whether a verdict on <paramref name="token"/> is kept (for tests and diagnostics).</summary>
    public bool Holds(string token) => Find(Hash(token)) is not null;

    internal Entry? Find(TokenHash hash) => _cache is not null && _cache.TryGetValue(hash, out var entry) ? (Entry?)entry : null;

    internal void Add(TokenHash hash, Entry entry)
    {
        if (_cache is null)
        {
            return;
        }

        // MemoryCache refuses an entry that does not fit and compacts later, on the thread pool:
        // make the room now, so the verdict of this request is kept, as the bound allows.
        if (_cache.Count >= Capacity)
        {
            _cache.Compact(0.25);
        }

        _cache.Set(hash, entry, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = entry.Check.ExpiresAt });
    }

    internal void Remove(TokenHash hash) => _cache?.Remove(hash);

    /// <summary>A kept verdict: what to answer, for which kind of token, and the key that verified it.</summary>
    internal sealed record Entry(TokenUse Use, TokenCheck Check, SecurityKey SigningKey);

    /// <summary>MemoryCache's clock from the app's <see cref="TimeProvider"/> (tests move it).</summary>
    private sealed class TimeProviderClock(TimeProvider time) : ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
