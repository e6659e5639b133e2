using System.Diagnostics;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.TestSupport;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CleanCognito.Infrastructure.IntegrationTests.Redis;

/// <summary>
/// The shared store requires AUTH (<c>requirepass</c> locally, an ElastiCache RBAC user on AWS): the
/// password comes apart from the connection string (<c>Redis:Password</c>, from Secrets Manager on ECS).
/// A wrong one is treated as an outage — each instance keeps working on its own state (decision 0007) —
/// with one Error that names the settings to fix, and the password never appears in a log line.
/// </summary>
public sealed class RedisAuthTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    private readonly string _keyRing = Directory.CreateTempSubdirectory("cleancognito-keys-").FullName;

    [Fact]
    public async Task The_password_in_Redis_Password_is_what_connects()
    {
        using var a = new SharedStoreInstance(redis.Endpoint, _keyRing, settings: Password(redis.Password));
        var flight = a.Get<ISharedFlight>();
        await flight.RunAsync("test:auth", _ => Task.FromResult(new SharedResult<string>("shared", TimeSpan.FromMinutes(1))), CancellationToken.None);

        using var b = new SharedStoreInstance(redis.Endpoint, _keyRing, settings: Password(redis.Password));
        (await b.Get<ISharedFlight>().RunAsync<string>("test:auth", _ => throw new InvalidOperationException("b must read a's result from Redis"), CancellationToken.None))
            .Should().Be("shared");
        a.Logs.Entries.Should().NotContain(e => e.Level >= LogLevel.Warning && e.Category.StartsWith("CleanCognito.Infrastructure.SharedStore", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_password_degrades_like_an_outage_with_one_error_naming_the_settings_and_never_the_password()
    {
        var wrong = $"wrong-{Guid.NewGuid():N}{Guid.NewGuid():N}";
        using var a = new SharedStoreInstance(redis.Endpoint, _keyRing, o => o.OutageRetryAfter = TimeSpan.FromMilliseconds(200), Password(wrong));
        var flight = a.Get<ISharedFlight>();

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            (await flight.RunAsync($"test:refused-{i}", _ => Task.FromResult(new SharedResult<int>(i, TimeSpan.Zero)), CancellationToken.None))
                .Should().Be(i, "the work runs on this instance");
        }

        clock.Stop();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "a refused connection is not waited on per call");
        await a.LoggedAsync("Redis refused this app's credentials", TimeSpan.FromSeconds(10));
        a.Logs.Entries.Where(e => e.Level == LogLevel.Error).Should().ContainSingle()
            .Which.Message.Should().Contain("Redis:Password").And.Contain("Redis__Password");
        var everything = string.Join('\n', a.Logs.Entries.Select(e => $"{e.Message} {e.Exception}"));
        SecretLeaks.Find(everything, [wrong, redis.Password]).Should().BeNull("no password is ever logged");

        await using var check = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        (await check.GetServers().Single().KeysAsync(pattern: "*refused*").ToListAsync()).Should().BeEmpty("nothing reached Redis");
    }

    public void Dispose() => Directory.Delete(_keyRing, recursive: true);

    private static Dictionary<string, string?> Password(string password) => new() { ["Redis:Password"] = password };
}
