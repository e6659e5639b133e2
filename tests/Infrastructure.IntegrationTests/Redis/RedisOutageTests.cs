using System.Diagnostics;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.TestSupport;
using Microsoft.Extensions.Logging;

namespace CleanCognito.Infrastructure.IntegrationTests.Redis;

/// <summary>Redis stops and comes back under a running instance (docs/decisions/0006: degrade, do not fail).</summary>
public sealed class RedisOutageTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly string _keyRing = Directory.CreateTempSubdirectory("cleancognito-keys-").FullName;

    [Fact]
    public async Task Without_Redis_each_instance_runs_the_work_itself_and_sharing_resumes_when_Redis_returns()
    {
        using var a = new SharedStoreInstance(redis.Configuration, _keyRing, o => o.OutageRetryAfter = TimeSpan.FromMilliseconds(200));
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

        await redis.StartAsync();
        var back = a.LoggedAsync("reachable again", Within);
        using var deadline = new CancellationTokenSource(Within);
        while (!back.IsCompleted)
        {
            // Each call (a new key: nothing reused locally) lets the instance try Redis again; the
            // client reconnects in the background, and the first call that reaches Redis ends the outage.
            await flight.RunAsync($"test:probe-{Guid.NewGuid()}", _ => Task.FromResult(new SharedResult<string>("probe", TimeSpan.Zero)), deadline.Token);
            await Task.WhenAny(back, Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token));
        }

        await back;
        var key = $"test:after-{Guid.NewGuid()}";
        await flight.RunAsync(key, _ => Task.FromResult(new SharedResult<string>("shared again", TimeSpan.FromMinutes(1))), CancellationToken.None);
        using var b = new SharedStoreInstance(redis.Configuration, _keyRing);
        (await b.Get<ISharedFlight>().RunAsync<string>(key, _ => throw new InvalidOperationException("b must read a's result"), CancellationToken.None))
            .Should().Be("shared again");
    }

    public void Dispose() => Directory.Delete(_keyRing, recursive: true);
}
