using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using CleanCognito.Infrastructure.Cognito;
using CleanCognito.TestSupport;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CleanCognito.TokenCheck.Benchmark;

/// <summary>
/// One hit of the validated-token cache (issue 24: keep the hand-rolled cache only if <see cref="MemoryCache"/>
/// with a size limit fails the gate of at most 10 µs and 1 KB per hit). Each hit hashes a real access
/// token (as every request does) and looks the digest up among 1,000 kept verdicts, bound 10,000
/// (the default <c>Cognito:ValidatedTokenCacheSize</c>): in the hand-rolled cache's structure (a
/// <see cref="ConcurrentDictionary{TKey,TValue}"/> keyed by the digest's four words) and in a
/// <see cref="MemoryCache"/> with <c>SizeLimit</c> (its keys are objects: the digest is boxed). The
/// product's own <see cref="ValidatedTokenCache.Holds"/> runs beside them, whichever it is built on.
/// </summary>
/// <remarks>No <c>[Config]</c>: run with <c>--job short --inProcess</c> (docs/BENCHMARKS.md).</remarks>
[MemoryDiagnoser]
public class TokenCacheHitBenchmarks : IDisposable
{
    private const int Kept = 1_000;
    private const int Bound = 10_000;

    private readonly ConcurrentDictionary<TokenHash, object> _handRolled = new();
    private readonly object _verdict = new();
    private MemoryCache _memoryCache = null!;
    private ValidatedTokenCache _product = null!;
    private string _token = string.Empty;

    [GlobalSetup]
    public void SetUp()
    {
        using var issuer = new TestTokenIssuer();
        _token = issuer.AccessToken();
        _memoryCache = new MemoryCache(Options.Create(new MemoryCacheOptions { SizeLimit = Bound }));
        var expires = DateTimeOffset.UtcNow.AddHours(1);
        for (var i = 0; i < Kept; i++)
        {
            var hash = ValidatedTokenCache.Hash(i == 0 ? _token : $"{_token}.{i}");
            _handRolled[hash] = _verdict;
            _memoryCache.Set(hash, _verdict, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = expires });
        }

        _product = new ValidatedTokenCache(Options.Create(new CognitoOptions { ValidatedTokenCacheSize = Bound }), TimeProvider.System);
        var verdict = new ValidatedTokenCache.Entry(TokenUse.Access, new Infrastructure.Cognito.TokenCheck(TokenStatus.Valid, null, expires, null), issuer.SigningKeys[0]);
        for (var i = 0; i < Kept; i++)
        {
            _product.Add(ValidatedTokenCache.Hash(i == 0 ? _token : $"{_token}.{i}"), verdict);
        }

        if (!HandRolled() || !MemoryCacheWithSizeLimit() || !Product())
        {
            throw new InvalidOperationException("Every variant must hit, or the benchmark measures a miss.");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _memoryCache?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Description = "SHA-256 of the token only (every variant pays it)")]
    public TokenHash HashOnly() => ValidatedTokenCache.Hash(_token);

    [Benchmark(Baseline = true, Description = "hit: hand-rolled (ConcurrentDictionary by digest)")]
    public bool HandRolled() => _handRolled.TryGetValue(ValidatedTokenCache.Hash(_token), out _);

    [Benchmark(Description = "hit: MemoryCache with SizeLimit (boxed digest key)")]
    public bool MemoryCacheWithSizeLimit() => _memoryCache.TryGetValue(ValidatedTokenCache.Hash(_token), out _);

    [Benchmark(Description = "hit: the product's ValidatedTokenCache (hash + Find)")]
    public bool Product() => _product.Find(ValidatedTokenCache.Hash(_token)) is not null;
}
