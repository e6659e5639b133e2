using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Security;
using CleanCognito.Infrastructure.SharedStore;
using CleanCognito.Infrastructure.SharedStore.Credentials;
using CleanCognito.TestSupport;
using StackExchange.Redis;

namespace CleanCognito.Infrastructure.IntegrationTests.Redis;

/// <summary>The credential cache of two instances on one real redis-server, against a counting Cognito Identity stand-in.</summary>
public sealed class SharedCredentialCacheTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private readonly string _keyRing = Directory.CreateTempSubdirectory("cleancognito-keys-").FullName;
    private readonly IdentityPoolStub _pool = new(hold: true);

    [Fact]
    public async Task Fifty_cold_requests_over_two_instances_make_one_GetId_and_one_GetCredentialsForIdentity()
    {
        using var a = Instance();
        using var b = Instance();
        var user = Tokens();

        var requests = Enumerable.Range(0, 50)
            .Select(i => (i % 2 == 0 ? a : b).Get<ICredentialCache>().GetAsync(user, CancellationToken.None).AsTask())
            .ToList();
        // One instance's exchange is under way and the other's callers wait for it through Redis.
        await _pool.FirstCall.WaitAsync(Within);
        await Task.WhenAny(a.LoggedAsync("Waiting for another caller's flight", Within), b.LoggedAsync("Waiting for another caller's flight", Within));
        _pool.Release();
        var credentials = await Task.WhenAll(requests).WaitAsync(Within);

        // Counted where the app calls the exchange, and at the stand-in (which also sees an HTTP retry, if a slow answer caused one).
        _pool.AppGetIdCalls.Should().Be(1);
        _pool.AppCredentialCalls.Should().Be(1);
        _pool.GetIdCalls.Should().BeGreaterThanOrEqualTo(1);
        _pool.CredentialCalls.Should().BeGreaterThanOrEqualTo(1);
        credentials.Should().OnlyContain(c => c.IdentityId == _pool.IdentityId && c.SecretKey == _pool.SecretKey);
    }

    [Fact]
    public async Task Credentials_are_stored_encrypted_under_hashed_keys_and_expire_as_AWS_says_less_the_margin()
    {
        _pool.Release();
        using var a = Instance();
        var user = Tokens();

        await a.Get<ICredentialCache>().GetAsync(user, CancellationToken.None);

        var database = a.Get<RedisConnection>().Database;
        var server = a.Get<RedisConnection>().Multiplexer.GetServers().Single();
        var credentialsKey = $"CleanCognito:credential-cache:credentials:{SecretKey.Of(HybridCredentialStore.IdentityPurpose, _pool.IdentityId)}";
        var userKey = $"CleanCognito:credential-cache:identity-id:{SecretKey.Of(HybridCredentialStore.UserPurpose, user.UserId)}";
        server.Keys(pattern: "CleanCognito:credential-cache:*").Select(k => k.ToString()).Should().Contain([credentialsKey, userKey])
            .And.NotContain(k => k.Contains(user.UserId) || k.Contains(_pool.IdentityId));

        var everything = string.Join('\n', await AllValuesAsync(database, server));
        everything.Should().NotContain(_pool.SecretKey).And.NotContain(_pool.SessionToken).And.NotContain(user.IdToken)
            .And.NotContain("ASIASTUBEXAMPLE", "the whole credential set is encrypted, not only its secret parts");

        // Expiration (an hour) less the 5-minute margin: replaced before AWS refuses it.
        var ttl = (await database.KeyTimeToLiveAsync(credentialsKey))!.Value;
        var expected = _pool.ExpiresAt - TimeSpan.FromMinutes(5) - DateTimeOffset.UtcNow;
        ttl.Should().BeCloseTo(expected, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_instance_reads_what_another_fetched_without_asking_the_pool()
    {
        _pool.Release();
        using var a = Instance();
        using var b = Instance();
        var user = Tokens();

        var fromA = await a.Get<ICredentialCache>().GetAsync(user, CancellationToken.None);
        var fromB = await b.Get<ICredentialCache>().GetAsync(user, CancellationToken.None);

        fromB.Should().Be(fromA);
        _pool.AppGetIdCalls.Should().Be(1);
        _pool.AppCredentialCalls.Should().Be(1);
    }

    [Fact]
    public async Task Sign_out_on_one_instance_drops_the_users_entries_on_the_other_and_tells_its_client_holders()
    {
        _pool.Release();
        using var a = Instance();
        using var b = Instance();
        var user = Tokens();
        await a.Get<ICredentialCache>().GetAsync(user, CancellationToken.None);
        await b.Get<ICredentialCache>().GetAsync(user, CancellationToken.None); // now in b's memory too
        var evictedOnB = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.Get<ICredentialCache>().IdentityEvicted += id => evictedOnB.TrySetResult(id);

        await a.Get<ICredentialCache>().EvictAsync(user.UserId, CancellationToken.None);

        (await evictedOnB.Task.WaitAsync(Within)).Should().Be(_pool.IdentityId);
        await b.Get<ICredentialCache>().GetAsync(user, CancellationToken.None);
        _pool.AppGetIdCalls.Should().Be(2, "b forgot the user's IdentityId too, in memory and in Redis");
        _pool.AppCredentialCalls.Should().Be(2);
    }

    public void Dispose()
    {
        _pool.Dispose();
        Directory.Delete(_keyRing, recursive: true);
    }

    /// <summary>
    /// Redis restarted empty and one instance restarted: its key ring is new, and the entry another
    /// instance wrote (with a key this one lacks) cannot be decrypted. That is a miss — one more
    /// exchange — never an exception (it was a 500 on / and /Files).
    /// </summary>
    [Fact]
    public async Task An_entry_this_instance_cannot_decrypt_is_a_miss_not_an_error()
    {
        _pool.Release();
        using var a = Instance();
        using var b = new SharedStoreInstance(redis.Configuration, Directory.CreateTempSubdirectory("cleancognito-other-keys-").FullName, settings: _pool.Settings(), configure: _pool.Hold);
        var user = Tokens();
        var fromA = await a.Get<ICredentialCache>().GetAsync(user, CancellationToken.None);

        var fromB = await b.Get<ICredentialCache>().GetAsync(user, CancellationToken.None);

        fromB.IdentityId.Should().Be(fromA.IdentityId);
        _pool.AppCredentialCalls.Should().Be(2, "b could not read a's entry, so it exchanged again");
        b.Logs.Entries.Should().Contain(e => e.Message.Contains("could not be read", StringComparison.Ordinal));
        // And b's own entry, written with b's key, is what b reads from now on.
        (await b.Get<ICredentialCache>().GetAsync(user, CancellationToken.None)).Should().Be(fromB);
        _pool.AppCredentialCalls.Should().Be(2);
    }

    private static UserTokens Tokens() => new(
        "access-token", $"id-token-{Guid.NewGuid():N}", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_CcTest001",
        $"sub-{Guid.NewGuid():N}", DateTimeOffset.MaxValue, DateTimeOffset.MaxValue);

    private static async Task<List<string>> AllValuesAsync(IDatabase database, IServer server)
    {
        var values = new List<string>();
        foreach (var key in server.Keys(pattern: "*"))
        {
            var type = await database.KeyTypeAsync(key);
            if (type == RedisType.String)
            {
                values.Add((string?)await database.StringGetAsync(key) ?? string.Empty);
            }
            else if (type == RedisType.Hash)
            {
                // The L2 keeps each entry as a hash; its payload is binary, so read it as Latin-1 to keep every byte.
                values.AddRange((await database.HashGetAllAsync(key)).Select(e => System.Text.Encoding.Latin1.GetString((byte[])e.Value!)));
            }
        }

        return values;
    }

    private SharedStoreInstance Instance() => new(redis.Configuration, _keyRing, settings: _pool.Settings(), configure: _pool.Hold);
}
