using System.Security.Claims;
using CleanCognito.Infrastructure.Cognito;
using CleanCognito.TestSupport;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace CleanCognito.Infrastructure.IntegrationTests.Cognito;

/// <summary>
/// The rules of the validated-token cache, through <see cref="CognitoTokenValidator"/>: a hit is the
/// kept verdict itself; it is never served past <c>exp</c>, nor once its key has left the key set,
/// nor for the other kind of token; and the cache never holds more than its bound.
/// </summary>
public sealed class ValidatedTokenCacheTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero));
    private readonly TestTokenIssuer _issuer;
    private readonly SwitchableKeys _keys;
    private readonly CognitoOptions _options = new()
    {
        Region = TestTokenIssuer.DefaultRegion,
        UserPoolId = TestTokenIssuer.DefaultUserPoolId,
        ClientId = TestTokenIssuer.DefaultClientId,
        Domain = "https://auth.example.com",
        ExpirationLeewaySeconds = 5,
    };

    public ValidatedTokenCacheTests()
    {
        _issuer = new TestTokenIssuer(_time);
        _keys = new SwitchableKeys(_issuer.SigningKeys);
    }

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public async Task A_token_that_validated_is_answered_from_the_cache_by_its_hash()
    {
        var (validator, cache) = Validator();
        var token = _issuer.AccessToken();

        var first = await validator.ValidateAsync(token, TokenUse.Access, default);
        var second = await validator.ValidateAsync(token, TokenUse.Access, default);

        first.Status.Should().Be(TokenStatus.Valid, first.Reason);
        second.Should().BeSameAs(first, "the second request is answered by the kept verdict, not a new validation");
        cache.Count.Should().Be(1);
        cache.Holds(token).Should().BeTrue();
        first.Identity!.GetType().Should().Be<ClaimsIdentity>("a plain copy of the claims: the library's identity would hold the token itself");
        first.Identity.BootstrapContext.Should().BeNull();
    }

    [Fact]
    public async Task An_expired_token_is_not_served_from_the_cache()
    {
        var (validator, cache) = Validator();
        var token = _issuer.AccessToken();
        (await validator.ValidateAsync(token, TokenUse.Access, default)).Status.Should().Be(TokenStatus.Valid);

        _time.Advance(_issuer.Lifetime + TimeSpan.FromSeconds(4));
        (await validator.ValidateAsync(token, TokenUse.Access, default)).Status.Should().Be(TokenStatus.Valid, "4 s past exp is within the 5 s leeway");

        _time.Advance(TimeSpan.FromSeconds(1));
        var check = await validator.ValidateAsync(token, TokenUse.Access, default);

        check.Status.Should().Be(TokenStatus.Expired, "the kept verdict said Valid, but exp has passed");
        cache.Count.Should().Be(0, "an expired token is forgotten, not kept as expired");
    }

    [Fact]
    public async Task A_token_signed_by_a_key_the_rotation_removed_is_refused_although_it_was_cached()
    {
        var (validator, cache) = Validator();
        var token = _issuer.AccessToken();
        (await validator.ValidateAsync(token, TokenUse.Access, default)).Status.Should().Be(TokenStatus.Valid);

        using var rotated = new TestTokenIssuer(_time);
        _keys.Current = rotated.SigningKeys;
        var check = await validator.ValidateAsync(token, TokenUse.Access, default);

        check.Status.Should().Be(TokenStatus.Invalid);
        check.Reason.Should().Be("signed with an unknown key");
        cache.Count.Should().Be(0);
        (await validator.ValidateAsync(rotated.AccessToken(), TokenUse.Access, default)).Status.Should().Be(TokenStatus.Valid, "tokens of the new key validate");
    }

    [Fact]
    public async Task A_refetched_key_set_makes_kept_verdicts_validate_again_in_full()
    {
        var (validator, _) = Validator();
        var token = _issuer.AccessToken();
        var first = await validator.ValidateAsync(token, TokenUse.Access, default);

        // Same kid and material, new objects: what a JWKS fetch produces. The kept verdict names the
        // key object that verified it, so it is not trusted across a fetch; the token is checked again.
        _keys.Current = _issuer.SigningKeys;
        var again = await validator.ValidateAsync(token, TokenUse.Access, default);

        again.Status.Should().Be(TokenStatus.Valid);
        again.Should().NotBeSameAs(first);
        (await validator.ValidateAsync(token, TokenUse.Access, default)).Should().BeSameAs(again);
    }

    [Fact]
    public async Task A_kept_access_token_verdict_is_not_served_for_the_id_cookie()
    {
        var (validator, _) = Validator();
        var token = _issuer.AccessToken();
        (await validator.ValidateAsync(token, TokenUse.Access, default)).Status.Should().Be(TokenStatus.Valid);

        (await validator.ValidateAsync(token, TokenUse.Id, default)).Status.Should().Be(TokenStatus.Invalid);
    }

    [Fact]
    public async Task Invalid_tokens_are_never_kept()
    {
        var (validator, cache) = Validator();

        (await validator.ValidateAsync(_issuer.AccessToken(signing: TokenSigning.OtherKey), TokenUse.Access, default)).Status.Should().Be(TokenStatus.Invalid);
        (await validator.ValidateAsync(_issuer.AccessToken(claims: c => c["client_id"] = "someone-else"), TokenUse.Access, default)).Status.Should().Be(TokenStatus.Invalid);

        cache.Count.Should().Be(0);
    }

    [Fact]
    public async Task The_cache_never_exceeds_its_bound_even_under_concurrent_inserts()
    {
        _options.ValidatedTokenCacheSize = 8;
        var (validator, cache) = Validator();
        var tokens = Enumerable.Range(0, 64).Select(i => _issuer.AccessToken(claims: c => c["jti"] = $"token-{i}")).ToArray();
        var largest = 0;
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(() =>
        {
            while (!watching.IsCancellationRequested)
            {
                largest = Math.Max(largest, cache.Count);
            }
        });

        var checks = await Task.WhenAll(tokens.Select(t => Task.Run(async () => await validator.ValidateAsync(t, TokenUse.Access, default))));
        await watching.CancelAsync();
        await watcher;

        checks.Should().OnlyContain(c => c.Status == TokenStatus.Valid, "a full cache only means a full validation");
        cache.Count.Should().BeInRange(1, 8);
        largest.Should().BeLessThanOrEqualTo(8);
        // MemoryCache may still be compacting on the thread pool after a refused insert: the two agree once it is done.
        await Eventually.TrueAsync(
            "the count is the cache's",
            () => tokens.Count(t => cache.Find(ValidatedTokenCache.Hash(t)) is not null) == cache.Count,
            TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task When_full_expired_verdicts_make_room_first()
    {
        _options.ValidatedTokenCacheSize = 4;
        var (validator, cache) = Validator();
        var shortLived = Enumerable.Range(0, 4).Select(i => _issuer.AccessToken(claims: c =>
        {
            c["jti"] = $"short-{i}";
            c["exp"] = _time.GetUtcNow().AddMinutes(1).ToUnixTimeSeconds();
        })).ToArray();
        foreach (var token in shortLived)
        {
            await validator.ValidateAsync(token, TokenUse.Access, default);
        }

        cache.Count.Should().Be(4);
        _time.Advance(TimeSpan.FromMinutes(2));
        var fresh = _issuer.AccessToken(claims: c => c["jti"] = "fresh");
        await validator.ValidateAsync(fresh, TokenUse.Access, default);

        cache.Count.Should().Be(1, "the four expired verdicts were swept before the fresh one was kept");
        cache.Find(ValidatedTokenCache.Hash(fresh)).Should().NotBeNull();
    }

    [Fact]
    public async Task A_size_of_zero_turns_the_cache_off()
    {
        _options.ValidatedTokenCacheSize = 0;
        var (validator, cache) = Validator();
        var token = _issuer.AccessToken();

        var first = await validator.ValidateAsync(token, TokenUse.Access, default);
        var second = await validator.ValidateAsync(token, TokenUse.Access, default);

        second.Status.Should().Be(TokenStatus.Valid);
        second.Should().NotBeSameAs(first);
        cache.Count.Should().Be(0);
    }

    private (CognitoTokenValidator Validator, ValidatedTokenCache Cache) Validator()
    {
        var cache = new ValidatedTokenCache(Options.Create(_options), _time);
        return (new CognitoTokenValidator(_keys, Options.Create(_options), _time, cache), cache);
    }

    /// <summary>The pool's key set as the app knows it; a test replaces it the way a JWKS fetch does.</summary>
    private sealed class SwitchableKeys(IReadOnlyList<SecurityKey> keys) : ISigningKeySource
    {
        public IReadOnlyList<SecurityKey> Current { get; set; } = keys;

        public ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Current);

        public ValueTask<IReadOnlyList<SecurityKey>> RefreshForUnknownKeyAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Current);
    }
}
