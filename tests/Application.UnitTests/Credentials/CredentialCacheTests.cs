using CleanCognito.Application.Common.Credentials;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure.SharedStore.Flights;
using Microsoft.Extensions.Time.Testing;

namespace CleanCognito.Application.UnitTests.Credentials;

public sealed class CredentialCacheTests
{
    private static readonly UserTokens Alice = new("access-a", "id-a", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X", "a11ce", DateTimeOffset.MaxValue, DateTimeOffset.MaxValue);
    private static readonly UserTokens Bob = new("access-b", "id-b", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X", "b0b", DateTimeOffset.MaxValue, DateTimeOffset.MaxValue);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Fifty_concurrent_requests_of_one_user_cause_one_GetId_and_one_GetCredentials()
    {
        var exchange = new FakeCredentialExchange(_time) { HoldAnswers = true };
        var cache = NewCache(exchange, CredentialCachePolicy.Default);

        // The barrier: a caller counts itself only once its call into the cache has returned still
        // pending, i.e. it is waiting inside the cache (on a gate or the held exchange). The answers
        // are released only when all 50 are in there at once.
        var inside = 0;
        var allInside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, 50)
            .Select(_ => Task.Run(async () =>
            {
                var pending = cache.GetAsync(Alice, CancellationToken.None);
                var wasPending = !pending.IsCompleted;
                if (Interlocked.Increment(ref inside) == 50)
                {
                    allInside.SetResult();
                }

                return (Credentials: await pending, WasPending: wasPending);
            }))
            .ToList();
        await allInside.Task.WaitAsync(TimeSpan.FromSeconds(30));
        exchange.Release();
        var results = await Task.WhenAll(requests);

        results.Should().OnlyContain(r => r.WasPending, "every caller was waiting inside the cache when the answers came");
        exchange.GetIdCalls.Should().Be(1);
        exchange.CredentialCalls.Should().Be(1);
        results.Select(r => r.Credentials.AccessKeyId).Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task Keeps_credentials_until_the_margin_before_they_expire()
    {
        var exchange = new FakeCredentialExchange(_time);
        var cache = NewCache(exchange, new CredentialCachePolicy(TimeSpan.FromMinutes(5)));

        var first = await cache.GetAsync(Alice, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(54) + TimeSpan.FromSeconds(59));
        (await cache.GetAsync(Alice, CancellationToken.None)).Should().BeSameAs(first);
        exchange.CredentialCalls.Should().Be(1);

        _time.Advance(TimeSpan.FromSeconds(1)); // now exactly 5 minutes before expiry
        var second = await cache.GetAsync(Alice, CancellationToken.None);

        second.AccessKeyId.Should().NotBe(first.AccessKeyId);
        exchange.CredentialCalls.Should().Be(2);
        exchange.GetIdCalls.Should().Be(1, "an IdentityId never changes, so it is asked for once");
    }

    [Fact]
    public async Task Credentials_shorter_lived_than_twice_the_margin_are_refreshed_half_way_not_on_every_request()
    {
        var exchange = new FakeCredentialExchange(_time) { Lifetime = TimeSpan.FromMinutes(4) };
        var cache = NewCache(exchange, new CredentialCachePolicy(TimeSpan.FromMinutes(5)));

        await cache.GetAsync(Alice, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        await cache.GetAsync(Alice, CancellationToken.None);
        exchange.CredentialCalls.Should().Be(1);

        _time.Advance(TimeSpan.FromMinutes(1));
        await cache.GetAsync(Alice, CancellationToken.None);
        exchange.CredentialCalls.Should().Be(2);
    }

    [Fact]
    public async Task Users_do_not_share_identities_or_credentials()
    {
        var exchange = new FakeCredentialExchange(_time);
        var cache = NewCache(exchange, CredentialCachePolicy.Default);

        var alice = await cache.GetAsync(Alice, CancellationToken.None);
        var bob = await cache.GetAsync(Bob, CancellationToken.None);

        bob.IdentityId.Should().NotBe(alice.IdentityId);
        bob.AccessKeyId.Should().NotBe(alice.AccessKeyId);
        exchange.GetIdCalls.Should().Be(2);
    }

    [Fact]
    public async Task Sign_out_drops_the_users_entries_and_tells_the_client_holders()
    {
        var exchange = new FakeCredentialExchange(_time);
        var cache = NewCache(exchange, CredentialCachePolicy.Default);
        var evicted = new List<string>();
        cache.IdentityEvicted += evicted.Add;
        var alice = await cache.GetAsync(Alice, CancellationToken.None);
        await cache.GetAsync(Bob, CancellationToken.None);

        await cache.EvictAsync(Alice.UserId, CancellationToken.None); // what SignOutCommand calls

        evicted.Should().Equal(alice.IdentityId);
        (await cache.GetIdentityIdAsync(Bob, CancellationToken.None)).Should().Be(FakeCredentialExchange.IdentityIdOf(Bob.UserId));
        exchange.GetIdCalls.Should().Be(2, "bob's IdentityId is still cached");

        await cache.GetAsync(Alice, CancellationToken.None);
        exchange.GetIdCalls.Should().Be(3, "alice is looked up again after signing out; bob's entry is untouched");
        exchange.CredentialCalls.Should().Be(3);
    }

    [Fact]
    public async Task The_folder_needs_one_GetId_and_no_credentials()
    {
        var exchange = new FakeCredentialExchange(_time);
        var cache = NewCache(exchange, CredentialCachePolicy.Default);

        var first = await cache.GetIdentityIdAsync(Alice, CancellationToken.None);
        var second = await cache.GetIdentityIdAsync(Alice, CancellationToken.None);

        second.Should().Be(first).And.Be(FakeCredentialExchange.IdentityIdOf(Alice.UserId));
        exchange.GetIdCalls.Should().Be(1);
        exchange.CredentialCalls.Should().Be(0, "a folder is the IdentityId only; credentials are fetched when S3 is called");

        (await cache.GetAsync(Alice, CancellationToken.None)).IdentityId.Should().Be(first);
        exchange.GetIdCalls.Should().Be(1, "the credentials reuse the cached IdentityId");
    }

    [Fact]
    public async Task Credentials_come_first_with_no_earlier_call_and_are_refreshed_with_the_callers_own_tokens()
    {
        var exchange = new FakeCredentialExchange(_time);
        var cache = NewCache(exchange, CredentialCachePolicy.Default);

        // No folder lookup first: the cache fetches everything from the tokens it is given.
        var first = await cache.GetAsync(Alice, CancellationToken.None);
        exchange.LastCredentialTokens.Should().BeSameAs(Alice);

        var renewed = Alice with { IdToken = "id-a-renewed" };
        (await cache.GetAsync(renewed, CancellationToken.None)).Should().BeSameAs(first);
        _time.Advance(TimeSpan.FromMinutes(56));
        var refreshed = await cache.GetAsync(renewed, CancellationToken.None);

        refreshed.AccessKeyId.Should().NotBe(first.AccessKeyId);
        refreshed.Expiration.Should().Be(_time.GetUtcNow() + TimeSpan.FromHours(1));
        exchange.LastCredentialTokens.Should().BeSameAs(renewed, "a refresh presents the ID token of the request that needs it");
    }

    [Fact]
    public async Task A_failed_exchange_is_not_cached_and_the_next_request_tries_again()
    {
        var failing = new FailingOnceExchange(new FakeCredentialExchange(_time));
        var cache = NewCache(failing, CredentialCachePolicy.Default);

        var act = async () => await cache.GetAsync(Alice, CancellationToken.None);
        await act.Should().ThrowAsync<UpstreamUnavailableException>();

        (await cache.GetAsync(Alice, CancellationToken.None)).AccessKeyId.Should().NotBeEmpty();
    }

    [Fact]
    public void Credentials_never_print_their_secrets()
    {
        var credentials = new IdentityCredentials("us-east-1:x", "ASIAEXAMPLE", "the-secret", "the-session-token", DateTimeOffset.UnixEpoch);
        credentials.ToString().Should().Contain("ASIAEXAMPLE").And.NotContain("the-secret").And.NotContain("the-session-token");
    }

    [Fact]
    public async Task A_sign_out_on_another_instance_reaches_the_client_holders_here()
    {
        var store = new FakeCredentialStore();
        var cache = NewCache(new FakeCredentialExchange(_time), CredentialCachePolicy.Default, store);
        var evicted = new List<string>();
        cache.IdentityEvicted += evicted.Add;
        var alice = await cache.GetAsync(Alice, CancellationToken.None);

        store.RemovedElsewhere(alice.IdentityId);

        evicted.Should().Equal(alice.IdentityId);
    }

    [Fact]
    public async Task Identities_idle_an_hour_past_their_expiry_are_announced_once_so_client_holders_do_not_grow()
    {
        var cache = NewCache(new FakeCredentialExchange(_time), CredentialCachePolicy.Default);
        var evicted = new List<string>();
        cache.IdentityEvicted += evicted.Add;
        var alice = await cache.GetAsync(Alice, CancellationToken.None);

        _time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1)); // expired at +1 h, idle for more than an hour since
        await cache.GetIdentityIdAsync(Bob, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(11));
        await cache.GetIdentityIdAsync(Bob, CancellationToken.None);

        evicted.Should().Equal(alice.IdentityId);
    }

    [Fact]
    public async Task Stored_credentials_are_replaced_at_the_margin_before_they_expire()
    {
        var store = new FakeCredentialStore();
        var cache = NewCache(new FakeCredentialExchange(_time), new CredentialCachePolicy(TimeSpan.FromMinutes(5)), store);

        var credentials = await cache.GetAsync(Alice, CancellationToken.None);

        var stored = await store.GetCredentialsAsync(credentials.IdentityId, CancellationToken.None);
        stored!.Credentials.Should().BeSameAs(credentials);
        stored.RefreshAt.Should().Be(credentials.Expiration - TimeSpan.FromMinutes(5));
    }

    private CredentialCache NewCache(ICredentialExchange exchange, CredentialCachePolicy policy, FakeCredentialStore? store = null) =>
        new(exchange, store ?? new FakeCredentialStore(), new InProcessFlight(_time), _time, policy);

    private sealed class FailingOnceExchange(ICredentialExchange inner) : ICredentialExchange
    {
        private int _calls;

        public Task<string> GetIdentityIdAsync(UserTokens tokens, CancellationToken cancellationToken) =>
            inner.GetIdentityIdAsync(tokens, cancellationToken);

        public Task<IdentityCredentials> GetCredentialsAsync(string identityId, UserTokens tokens, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1
                ? throw new UpstreamUnavailableException("Cognito Identity", "down")
                : inner.GetCredentialsAsync(identityId, tokens, cancellationToken);
    }
}
