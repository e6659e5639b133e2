using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Security;
using CleanCognito.Infrastructure.SharedStore;
using CleanCognito.Infrastructure.SharedStore.Flights;
using CleanCognito.TestSupport;
using StackExchange.Redis;

namespace CleanCognito.Infrastructure.IntegrationTests.Redis;

/// <summary>Two instances on one real redis-server: the work runs once for all of them.</summary>
public sealed class RedisSharedFlightTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);
    private const string Waiting = "Waiting for another caller's flight";

    private readonly string _keyRing = Directory.CreateTempSubdirectory("cleancognito-keys-").FullName;

    [Fact]
    public async Task Fifty_callers_over_two_instances_run_the_work_once_and_all_read_the_winners_result()
    {
        using var a = Instance();
        using var b = Instance();
        var runs = 0;
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<CancellationToken, Task<SharedResult<string>>> Work(string instance) => async _ =>
        {
            Interlocked.Increment(ref runs);
            started.TrySetResult(instance);
            await release.Task;
            // Reuse zero: only the callers waiting now may read it, as a refresh result would be.
            return new SharedResult<string>($"result of {instance}", TimeSpan.Zero);
        };

        var key = $"test:{Guid.NewGuid()}";
        var callers = Enumerable.Range(0, 50)
            .Select(i => i % 2 == 0
                ? a.Get<ISharedFlight>().RunAsync(key, Work("a"), CancellationToken.None)
                : b.Get<ISharedFlight>().RunAsync(key, Work("b"), CancellationToken.None))
            .ToList();

        // The barrier: one instance runs the work and the other's runner is waiting on Redis for it.
        var winner = await started.Task.WaitAsync(Within);
        await (winner == "a" ? b : a).LoggedAsync(Waiting, Within);
        release.SetResult();
        var results = await Task.WhenAll(callers).WaitAsync(Within);

        runs.Should().Be(1);
        results.Should().HaveCount(50).And.OnlyContain(r => r == $"result of {winner}");
    }

    [Fact]
    public async Task A_failed_work_is_not_remembered_and_a_waiter_elsewhere_runs_it_without_waiting_for_the_lease()
    {
        // The lease is long: only the winner's "done" message can let b in this soon.
        using var a = Instance(o => o.FlightLease = TimeSpan.FromSeconds(60));
        using var b = Instance(o => o.FlightLease = TimeSpan.FromSeconds(60));
        var key = $"test:{Guid.NewGuid()}";
        var aStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aFails = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var failing = a.Get<ISharedFlight>().RunAsync<string>(key, async _ =>
        {
            aStarted.SetResult();
            await aFails.Task;
            throw new UpstreamUnavailableException("Cognito Identity", "down");
        }, CancellationToken.None);
        await aStarted.Task.WaitAsync(Within);
        var waiter = b.Get<ISharedFlight>().RunAsync(key, _ => Task.FromResult(new SharedResult<string>("result of b", TimeSpan.Zero)), CancellationToken.None);
        await b.LoggedAsync(Waiting, Within);

        aFails.SetResult();

        await failing.Invoking(async f => await f).Should().ThrowAsync<UpstreamUnavailableException>();
        (await waiter.WaitAsync(Within)).Should().Be("result of b");
    }

    [Fact]
    public async Task The_stored_result_is_encrypted_keyed_by_a_hash_and_kept_for_its_reuse_time()
    {
        using var a = Instance();
        using var b = Instance();
        var key = $"credentials:raw-user-{Guid.NewGuid()}";
        var secret = new SecretSample("ASIATESTKEY", "secret-key-9f1c2e", "session-token-77ab01");

        await a.Get<ISharedFlight>().RunAsync(key, _ => Task.FromResult(new SharedResult<SecretSample>(secret, TimeSpan.FromMinutes(1))), CancellationToken.None);

        var database = a.Get<RedisConnection>().Database;
        var resultKey = $"flight:{SecretKey.Of(RedisSharedFlight.KeyPurpose, key)}:result";
        var stored = (string?)await database.StringGetAsync(resultKey);
        stored.Should().NotBeNull()
            .And.NotContain(secret.SecretKey).And.NotContain(secret.SessionToken).And.NotContain(secret.AccessKeyId)
            .And.NotContain("raw-user");
        var server = a.Get<RedisConnection>().Multiplexer.GetServers().Single();
        server.Keys(pattern: "flight:*").Select(k => k.ToString()).Should().NotContain(k => k.Contains("raw-user"));
        var ttl = await database.KeyTimeToLiveAsync(resultKey);
        ttl.Should().NotBeNull();
        ttl!.Value.Should().BeGreaterThan(TimeSpan.FromSeconds(50)).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(1));

        // Another instance reads it back instead of running its own work.
        (await b.Get<ISharedFlight>().RunAsync<SecretSample>(key, _ => throw new InvalidOperationException("b must not run the work"), CancellationToken.None))
            .Should().Be(secret);
    }

    [Fact]
    public async Task A_null_result_is_shared_across_instances()
    {
        using var a = Instance();
        using var b = Instance();
        var key = $"refresh:{Guid.NewGuid()}";

        (await a.Get<ISharedFlight>().RunAsync(key, _ => Task.FromResult(new SharedResult<string?>(null, TimeSpan.FromSeconds(30))), CancellationToken.None))
            .Should().BeNull();
        (await b.Get<ISharedFlight>().RunAsync<string?>(key, _ => throw new InvalidOperationException("b must not run the work"), CancellationToken.None))
            .Should().BeNull();
    }

    public void Dispose() => Directory.Delete(_keyRing, recursive: true);

    private SharedStoreInstance Instance(Action<SharedStoreOptions>? timings = null) => new(redis.Configuration, _keyRing, timings);

    private sealed record SecretSample(string AccessKeyId, string SecretKey, string SessionToken);
}
