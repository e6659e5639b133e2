using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure.SharedStore;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.Redis;

/// <summary>
/// The flight's lease on a real redis-server: renewed while the winner lives, free once it is gone.
/// Alone in their collection, run after the parallel tests: a renewal every 0.6 s must not wait behind
/// a thread pool that other tests' blocking connects have filled (seen on a loaded 2-core machine).
/// </summary>
[Collection(Serial)]
public sealed class RedisFlightLeaseTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    public const string Serial = "Redis flight lease (serial)";

    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);
    private const string Waiting = "Waiting for another caller's flight";

    private readonly string _keyRing = Directory.CreateTempSubdirectory("cleancognito-keys-").FullName;

    [Fact]
    public async Task Work_longer_than_the_lease_runs_once_across_two_instances()
    {
        // A 2 s lease and a work of 5 s: without renewal b would take the lock over after 2 s and run it again.
        // (Not shorter: on a loaded machine a renewal every 0.6 s may come late for a 1 s lease.)
        using var a = Instance(o => o.FlightLease = TimeSpan.FromSeconds(2));
        using var b = Instance(o => o.FlightLease = TimeSpan.FromSeconds(2));
        var key = $"test:{Guid.NewGuid()}";
        var runs = 0;
        var aStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = a.Get<ISharedFlight>().RunAsync(key, async token =>
        {
            Interlocked.Increment(ref runs);
            aStarted.SetResult();
            await Task.Delay(TimeSpan.FromSeconds(5), token);
            return new SharedResult<string>("result of a", TimeSpan.Zero);
        }, CancellationToken.None);
        await aStarted.Task.WaitAsync(Within);
        var second = b.Get<ISharedFlight>().RunAsync(key, _ =>
        {
            Interlocked.Increment(ref runs);
            return Task.FromResult(new SharedResult<string>("result of b", TimeSpan.Zero));
        }, CancellationToken.None);

        var results = await Task.WhenAll(first, second).WaitAsync(Within);

        runs.Should().Be(1, "a's lease was renewed while its work ran, so b never took the lock over");
        results.Should().Equal("result of a", "result of a");
        b.Logs.Entries.Should().Contain(e => e.Message.Contains(Waiting), "b waited for a's flight");
    }

    [Fact]
    public async Task A_waiter_takes_the_flight_over_when_the_winner_dies_and_its_lease_runs_out()
    {
        using var a = Instance(o => o.FlightLease = TimeSpan.FromSeconds(2));
        using var b = Instance(o => o.FlightLease = TimeSpan.FromSeconds(2));
        var key = $"test:{Guid.NewGuid()}";
        var aStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aHangs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // A takes the lock and does not finish while it lives.
        var stuck = a.Get<ISharedFlight>().RunAsync(key, async _ =>
        {
            aStarted.SetResult();
            await aHangs.Task;
            return new SharedResult<string>("result of a", TimeSpan.Zero);
        }, CancellationToken.None);
        await aStarted.Task.WaitAsync(Within);
        var taken = b.Get<ISharedFlight>()
            .RunAsync(key, _ => Task.FromResult(new SharedResult<string>("result of b", TimeSpan.Zero)), CancellationToken.None);
        await b.LoggedAsync(Waiting, Within);
        await Task.Delay(TimeSpan.FromSeconds(4.5));
        taken.IsCompleted.Should().BeFalse("a is alive and renews its lease: b keeps waiting past the lease");

        // A dies (its connection closes, nothing renews the lease): b takes over once the lease runs out.
        a.Dispose();

        (await taken.WaitAsync(Within)).Should().Be("result of b");
        aHangs.SetResult();
        // What the dead instance's flight does next is no longer anyone's business; observed, not awaited.
        _ = stuck.ContinueWith(static t => t.Exception, TaskScheduler.Default);
    }

    public void Dispose() => Directory.Delete(_keyRing, recursive: true);

    private SharedStoreInstance Instance(Action<SharedStoreOptions>? timings = null) => new(redis.Configuration, _keyRing, timings);
}
