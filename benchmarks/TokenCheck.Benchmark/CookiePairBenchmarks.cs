using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CleanCognito.Infrastructure.Cognito;
using CleanCognito.Infrastructure.SharedStore.Flights;
using CleanCognito.Infrastructure.SharedStore.SignedOutSessions;
using CleanCognito.TestSupport;
using CleanCognito.Web.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CleanCognito.TokenCheck.Benchmark;

/// <summary>
/// Accepting the cookie pair a browser sends on every request (an access and an ID token signed by a
/// real RS256 key), through the product's own <see cref="SessionCookieValidator"/>: <c>Cold</c> validates
/// both tokens in full (the cache is off), <c>Kept</c> answers them from the validated-token cache.
/// Two levels: the pair of token strings (what the goal measures), and the whole request — the
/// framework parsing the <c>Cookie</c> header into strings, then the same check. Both include the
/// sign-out denylist check that follows the validation on every request, against a denylist holding
/// 1,000 other signed-out sessions (with Redis the per-request check is the same in-memory lookup,
/// on the mirror the pub/sub channel feeds).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcess))]
public class CookiePairBenchmarks
{
    private string _access = string.Empty;
    private string _id = string.Empty;
    private SessionCookieValidator _cold = null!;
    private SessionCookieValidator _kept = null!;
    private DefaultHttpContext _request = null!;

    [GlobalSetup]
    public async Task SetUp()
    {
        // The tokens and the public keys outlive the issuer (its private key is only for signing).
        using (var issuer = new TestTokenIssuer())
        {
            _access = issuer.AccessToken();
            _id = issuer.IdToken();
            _cold = Sessions(cacheSize: 0, issuer.SigningKeys);
            _kept = Sessions(cacheSize: 10_000, issuer.SigningKeys);
        }

        _request = new DefaultHttpContext();
        _request.Request.Headers.Cookie = $"{TokenCookies.AccessToken}={_access}; {TokenCookies.IdToken}={_id}";

        // Both must accept the pair, or the benchmark measures a refusal.
        foreach (var sessions in new[] { _cold, _kept })
        {
            if (await sessions.RejectionReasonAsync(_access, _id, default) is { } reason)
            {
                throw new InvalidOperationException($"The pair was refused: {reason}");
            }
        }
    }

    [Benchmark(Baseline = true, Description = "pair: validated in full (cache off)")]
    public Task<string?> PairCold() => _cold.RejectionReasonAsync(_access, _id, default);

    [Benchmark(Description = "pair: kept by hash (cache hit)")]
    public Task<string?> PairKept() => _kept.RejectionReasonAsync(_access, _id, default);

    [Benchmark(Description = "request: Cookie header parsed only (the framework's part)")]
    public int RequestCookiesOnly()
    {
        var cookies = Fresh().Request.Cookies;
        return cookies[TokenCookies.AccessToken]!.Length + cookies[TokenCookies.IdToken]!.Length;
    }

    [Benchmark(Description = "request: Cookie header parsed, then validated in full")]
    public Task RequestCold() => _cold.ReadAsync(Fresh());

    [Benchmark(Description = "request: Cookie header parsed, then kept by hash")]
    public Task RequestKept() => _kept.ReadAsync(Fresh());

    /// <summary>A request whose cookies are not parsed yet (the framework parses them once per request).</summary>
    private DefaultHttpContext Fresh()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = _request.Request.Headers.Cookie;
        return context;
    }

    private static SessionCookieValidator Sessions(int cacheSize, IReadOnlyList<SecurityKey> keys)
    {
        var options = Options.Create(new CognitoOptions
        {
            Region = TestTokenIssuer.DefaultRegion,
            UserPoolId = TestTokenIssuer.DefaultUserPoolId,
            ClientId = TestTokenIssuer.DefaultClientId,
            Domain = "https://auth.example.com",
            ValidatedTokenCacheSize = cacheSize,
        });
        var validator = new CognitoTokenValidator(new StaticKeys(keys), options, TimeProvider.System, new ValidatedTokenCache(options, TimeProvider.System));
        var scopes = new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>();
        var signedOut = new InMemorySignedOutSessions(TimeProvider.System);
        signedOut.Remember(Enumerable.Range(0, 1000).Select(i => $"signed-out-session-{i}"), DateTimeOffset.UtcNow.AddHours(1));
        return new SessionCookieValidator(
            validator,
            new TokenCookies(new EphemeralDataProtectionProvider(), options),
            new SessionRefresher(new InProcessFlight(TimeProvider.System), signedOut, scopes),
            signedOut,
            options,
            NullLogger<SessionCookieValidator>.Instance);
    }

    /// <summary>
    /// In this process (no generated project to build, which takes minutes on a busy machine), 15
    /// measured iterations: enough for a median on a shared machine, short enough to run beside others.
    /// </summary>
    private sealed class ShortInProcess : ManualConfig
    {
        public ShortInProcess() => AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(15));
    }

    /// <summary>The pool's keys as the app holds them between JWKS fetches.</summary>
    private sealed class StaticKeys(IReadOnlyList<SecurityKey> keys) : ISigningKeySource
    {
        public ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(CancellationToken cancellationToken) => ValueTask.FromResult(keys);

        public ValueTask<IReadOnlyList<SecurityKey>> RefreshForUnknownKeyAsync(CancellationToken cancellationToken) => ValueTask.FromResult(keys);
    }
}
