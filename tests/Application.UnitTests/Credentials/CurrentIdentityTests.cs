using CleanCognito.Application.Common.Credentials;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure.SharedStore.Flights;
using Microsoft.Extensions.Time.Testing;

namespace CleanCognito.Application.UnitTests.Credentials;

/// <summary>The request's view of the cache: one look-up of the identity per request, and refused keys replaced once.</summary>
public sealed class CurrentIdentityTests : IDisposable
{
    private static readonly UserTokens Alice = new("access-a", "id-a", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X", "a11ce", DateTimeOffset.MaxValue, DateTimeOffset.MaxValue);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 13, 0, 0, TimeSpan.Zero));
    private readonly FakeCredentialStore _store = new();
    private readonly FakeCredentialExchange _exchange;
    private readonly CredentialCache _cache;

    public CurrentIdentityTests()
    {
        _exchange = new FakeCredentialExchange(_time);
        _cache = new CredentialCache(_exchange, _store, new InProcessFlight(_time), _time, CredentialCachePolicy.Default);
    }

    /// <summary>
    /// What a file or note request does: the handler asks for the folder, then the AWS client
    /// factory for the credentials (twice, for a download's existence check and its presigning).
    /// Before, each of those looked the IdentityId up in the store again (3 reads here).
    /// </summary>
    [Fact]
    public async Task A_request_looks_its_identity_up_once_for_the_folder_and_every_AWS_call()
    {
        await WarmAsync();
        var request = new CurrentIdentity(new FixedTokens(Alice), _cache);
        var readsBefore = _store.IdentityIdReads;

        var folder = await request.GetFolderAsync(CancellationToken.None);
        var first = await request.GetCredentialsAsync(CancellationToken.None);
        var second = await request.GetCredentialsAsync(CancellationToken.None);

        (_store.IdentityIdReads - readsBefore).Should().Be(1);
        folder.IdentityId.Should().Be(first.IdentityId);
        second.Should().BeSameAs(first);
    }

    [Fact]
    public async Task A_request_that_asks_for_credentials_first_also_looks_up_once()
    {
        await WarmAsync();
        var request = new CurrentIdentity(new FixedTokens(Alice), _cache);
        var readsBefore = _store.IdentityIdReads;

        var credentials = await request.GetCredentialsAsync(CancellationToken.None);
        var folder = await request.GetFolderAsync(CancellationToken.None);

        (_store.IdentityIdReads - readsBefore).Should().Be(1);
        folder.IdentityId.Should().Be(credentials.IdentityId);
    }

    [Fact]
    public async Task Refused_keys_are_dropped_from_the_shared_store_and_exchanged_again()
    {
        var request = new CurrentIdentity(new FixedTokens(Alice), _cache);
        var refused = await request.GetCredentialsAsync(CancellationToken.None);
        var evicted = new List<string>();
        _cache.IdentityEvicted += evicted.Add;

        var fresh = await request.RenewCredentialsAsync(refused, CancellationToken.None);

        fresh.AccessKeyId.Should().NotBe(refused.AccessKeyId);
        fresh.IdentityId.Should().Be(refused.IdentityId);
        evicted.Should().Equal(refused.IdentityId);
        _exchange.CredentialCalls.Should().Be(2);
        (await _store.GetCredentialsAsync(refused.IdentityId, CancellationToken.None))!.Credentials.Should().Be(fresh, "the fresh set replaced the refused one in the store");
        (await request.GetCredentialsAsync(CancellationToken.None)).Should().BeSameAs(fresh);
    }

    [Fact]
    public async Task A_request_renews_at_most_once()
    {
        var request = new CurrentIdentity(new FixedTokens(Alice), _cache);
        var refused = await request.GetCredentialsAsync(CancellationToken.None);

        var fresh = await request.RenewCredentialsAsync(refused, CancellationToken.None);
        var again = await request.RenewCredentialsAsync(fresh, CancellationToken.None);

        again.Should().BeSameAs(fresh);
        _exchange.CredentialCalls.Should().Be(2, "a second refusal in the same request is the service's answer, not a stale cache");
    }

    public void Dispose() => _cache.Dispose();

    private async Task WarmAsync() => await _cache.GetAsync(Alice, CancellationToken.None);

    private sealed class FixedTokens(UserTokens tokens) : ICurrentUserTokens
    {
        public UserTokens GetTokens() => tokens;

        public ValueTask<UserTokens?> RefreshAsync(CancellationToken cancellationToken) => ValueTask.FromResult<UserTokens?>(null);

        public string? GetRefreshToken() => null;
    }
}
