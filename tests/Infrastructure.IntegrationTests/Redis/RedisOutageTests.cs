using System.Diagnostics;
using System.Diagnostics.Metrics;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Telemetry;
using CleanCognito.TestSupport;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace CleanCognito.Infrastructure.IntegrationTests.Redis;

/// <summary>Redis stops and comes back under a running instance (docs/decisions/0007: degrade, do not fail).</summary>
public sealed class RedisOutageTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly string _keyRing = Directory.CreateTempSubdirectory("cleancognito-keys-").FullName;

    [Fact]
    public async Task Without_Redis_each_instance_runs_the_work_itself_and_sharing_resumes_when_Redis_returns()
    {
        using var a = new SharedStoreInstance(redis.Configuration, _keyRing, o => o.OutageRetryAfter = TimeSpan.FromMilliseconds(200));
        // Redis is counted like every upstream: cleancognito.upstream.calls, upstream "redis".
        using var calls = new MetricCollector<long>(a.Get<IMeterFactory>(), AppTelemetry.Name, "cleancognito.upstream.calls");
        var flight = a.Get<ISharedFlight>();
        (await flight.RunAsync("test:before", _ => Task.FromResult(new SharedResult<string>("shared", TimeSpan.Zero)), CancellationToken.None))
            .Should().Be("shared");

        await redis.StopAsync();
        var clock = Stopwatch.StartNew();
        var runs = 0;
        for (var i = 0; i < 20; i++)
        {
            (await flight.RunAsync($"test:outage-{i}", _ =>
            {
                Interlocked.Increment(ref runs);
                return Task.FromResult(new SharedResult<int>(i, TimeSpan.Zero));
            }, CancellationToken.None)).Should().Be(i);
        }

        clock.Stop();
        runs.Should().Be(20, "every call still ran, on this instance");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "a request during an outage does not wait out the 3 s command timeout");
        a.Logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("shared store (Redis) is unavailable"))
            .Should().Be(1, "one Warning per outage, not per request");
        RedisCalls(calls, "success").Should().BeGreaterThan(0, "the flight before the outage reached Redis");
        RedisCalls(calls, "unavailable").Should().BeGreaterThan(0, "the first flight of the outage failed at Redis (the rest skipped it)");

        await redis.StartAsync();
        var back = a.LoggedAsync("reachable again", Within);
        // Each call (a new key: nothing reused locally) lets the instance try Redis again; the
        // client reconnects in the background, and the first call that reaches Redis ends the outage.
        await Eventually.TrueAsync("the instance logs that Redis is reachable again", async () =>
        {
            await flight.RunAsync($"test:probe-{Guid.NewGuid()}", _ => Task.FromResult(new SharedResult<string>("probe", TimeSpan.Zero)), CancellationToken.None);
            return back.IsCompleted;
        }, Within, every: TimeSpan.FromMilliseconds(250));

        await back;
        var key = $"test:after-{Guid.NewGuid()}";
        await flight.RunAsync(key, _ => Task.FromResult(new SharedResult<string>("shared again", TimeSpan.FromMinutes(1))), CancellationToken.None);
        using var b = new SharedStoreInstance(redis.Configuration, _keyRing);
        (await b.Get<ISharedFlight>().RunAsync<string>(key, _ => throw new InvalidOperationException("b must read a's result"), CancellationToken.None))
            .Should().Be("shared again");
    }

    [Fact]
    public async Task The_credential_cache_keeps_working_on_each_instance_while_Redis_is_down_and_shares_again_after()
    {
        using var pool = new IdentityPoolStub();
        using var a = new SharedStoreInstance(
            redis.Configuration, _keyRing, o => o.OutageRetryAfter = TimeSpan.FromMilliseconds(200), pool.Settings(), pool.Hold);
        var cache = a.Get<ICredentialCache>();
        var before = await cache.GetAsync(Tokens("before"), CancellationToken.None);

        await redis.StopAsync();
        var during = await cache.GetAsync(Tokens("during"), CancellationToken.None);
        (await cache.GetAsync(Tokens("before"), CancellationToken.None)).Should().Be(before, "what this instance holds in memory still serves");
        await cache.EvictAsync("sub-during", CancellationToken.None);

        during.SecretKey.Should().Be(pool.SecretKey);
        // The stand-in gives every user the same identity, so a new user costs one GetId here and reuses its credentials.
        // Counted where the app calls the exchange: under load the stand-in may also see an HTTP retry.
        pool.AppGetIdCalls.Should().Be(2, "one GetId for the user seen during the outage; none for the user already in memory");
        // The shared store's side only: on a loaded machine the identity pool stand-in may be slow enough for an HTTP retry.
        a.Logs.Entries.Where(e => e.Level >= LogLevel.Error && IsSharedStore(e.Category)).Select(e => $"{e.Category}: {e.Message}")
            .Should().BeEmpty("an outage is a Warning, once, not an error per request");
        a.Logs.Entries.Where(e => e.Level == LogLevel.Warning && IsSharedStore(e.Category))
            .Should().ContainSingle().Which.Message.Should().Contain("shared store (Redis) is unavailable");

        await redis.StartAsync();
        var back = a.LoggedAsync("reachable again", Within);
        // A new user each time: a miss, so the instance asks Redis again.
        await Eventually.TrueAsync("the instance logs that Redis is reachable again", async () =>
        {
            await cache.GetIdentityIdAsync(Tokens($"probe-{Guid.NewGuid():N}"), CancellationToken.None);
            return back.IsCompleted;
        }, Within, every: TimeSpan.FromMilliseconds(250));

        await cache.GetIdentityIdAsync(Tokens("after"), CancellationToken.None);
        using var b = new SharedStoreInstance(redis.Configuration, _keyRing, settings: pool.Settings(), configure: pool.Hold);
        var getIdCalls = pool.AppGetIdCalls;
        (await b.Get<ICredentialCache>().GetIdentityIdAsync(Tokens("after"), CancellationToken.None)).Should().Be(pool.IdentityId);
        pool.AppGetIdCalls.Should().Be(getIdCalls, "b reads the IdentityId a stored in Redis once it was back");
    }

    public void Dispose() => Directory.Delete(_keyRing, recursive: true);

    private static bool IsSharedStore(string category) =>
        category.StartsWith("CleanCognito.Infrastructure.SharedStore", StringComparison.Ordinal)
        || category.StartsWith("Microsoft.Extensions.Caching", StringComparison.Ordinal)
        || category.StartsWith("StackExchange", StringComparison.Ordinal);

    private static UserTokens Tokens(string user) => new(
        "access-token", $"id-token-{user}", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_CcTest001",
        $"sub-{user}", DateTimeOffset.MaxValue, DateTimeOffset.MaxValue);

    private static long RedisCalls(MetricCollector<long> calls, string outcome) =>
        calls.GetMeasurementSnapshot()
            .Where(m => Equals(m.Tags["upstream"], "redis") && Equals(m.Tags["outcome"], outcome))
            .Sum(m => m.Value);
}
