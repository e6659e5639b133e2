using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure.SharedStore;
using CleanCognito.Infrastructure.SharedStore.SignedOutSessions;
using CleanCognito.TestSupport;
using StackExchange.Redis;

namespace CleanCognito.Infrastructure.IntegrationTests.Redis;

/// <summary>
/// The Redis sign-out list as an adapter, against a real redis-server: the in-memory mirror that
/// requests read is loaded from Redis at start and reloaded in full on a sync (so a lost pub/sub
/// message costs at most one reload), and a sign-out made while Redis is down is refused on its own
/// instance at once and written to Redis when it returns.
/// </summary>
public sealed class RedisSignedOutSessionsTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly TempKeyFolder _keyRing = new();

    public void Dispose() => _keyRing.Dispose();

    [Fact]
    public async Task The_mirror_is_loaded_at_start_and_reloaded_from_Redis_without_a_message_leaving_out_expired_ids()
    {
        using var a = new SharedStoreInstance(redis.Configuration, _keyRing.Path);
        var signedOutOnA = a.Get<RedisSignedOutSessions>();
        await signedOutOnA.StartAsync(CancellationToken.None);
        var first = Id("first");
        await signedOutOnA.AddAsync(new SignedOutSession([first], DateTimeOffset.UtcNow.AddMinutes(10)), CancellationToken.None);

        using var b = new SharedStoreInstance(redis.Configuration, _keyRing.Path);
        var signedOutOnB = b.Get<RedisSignedOutSessions>();
        signedOutOnB.Contains(first).Should().BeFalse("nothing is loaded before the start");
        await signedOutOnB.StartAsync(CancellationToken.None);
        signedOutOnB.Contains(first).Should().BeTrue("an instance started later loads the list before it serves");

        // Written straight into the set, with no pub/sub message: as if B had missed it.
        var missed = Id("missed");
        var expired = Id("expired");
        await using (var raw = await ConnectionMultiplexer.ConnectAsync(redis.Configuration))
        {
            var now = DateTimeOffset.UtcNow;
            await raw.GetDatabase().SortedSetAddAsync(RedisSignedOutSessions.Key, [
                new SortedSetEntry(missed, now.AddMinutes(10).ToUnixTimeMilliseconds()),
                new SortedSetEntry(expired, now.AddMinutes(-1).ToUnixTimeMilliseconds()),
            ]);
        }

        signedOutOnB.Contains(missed).Should().BeFalse("no message announced it");
        await signedOutOnB.NextSyncAsync().WaitAsync(Within);

        signedOutOnB.Contains(missed).Should().BeTrue("the reload reads the whole set");
        signedOutOnB.Contains(expired).Should().BeFalse("an id whose tokens have expired is not loaded");
        await signedOutOnA.StopAsync(CancellationToken.None);
        await signedOutOnB.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_sign_out_while_Redis_is_down_is_refused_here_at_once_kept_pending_and_written_when_Redis_returns()
    {
        using var a = new SharedStoreInstance(redis.Configuration, _keyRing.Path);
        var signedOut = a.Get<RedisSignedOutSessions>();
        await signedOut.StartAsync(CancellationToken.None);
        var during = Id("during");
        var until = DateTimeOffset.UtcNow.AddMinutes(10);

        await redis.StopAsync();
        try
        {
            await signedOut.AddAsync(new SignedOutSession([during], until), CancellationToken.None);

            signedOut.Contains(during).Should().BeTrue("the instance that signed out refuses the session at once");
            signedOut.PendingCount.Should().Be(1, "the write waits for Redis");
        }
        finally
        {
            await redis.StartAsync();
        }

        await signedOut.NextSyncAsync().WaitAsync(Within);

        signedOut.PendingCount.Should().Be(0);
        await using (var raw = await ConnectionMultiplexer.ConnectAsync(redis.Configuration))
        {
            var score = await raw.GetDatabase().SortedSetScoreAsync(RedisSignedOutSessions.Key, during);
            score.Should().Be(until.ToUnixTimeMilliseconds(), "the pending sign-out reached Redis with its expiry");
        }

        using var later = new SharedStoreInstance(redis.Configuration, _keyRing.Path);
        var onLater = later.Get<RedisSignedOutSessions>();
        await onLater.StartAsync(CancellationToken.None);
        onLater.Contains(during).Should().BeTrue("another instance learns of it from Redis");
        await signedOut.StopAsync(CancellationToken.None);
        await onLater.StopAsync(CancellationToken.None);
    }

    private static string Id(string name) => $"{name}-{Guid.NewGuid():N}";
}
