using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Security;
using Medallion.Threading.Redis;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CleanCognito.Infrastructure.SharedStore.Flights;

/// <summary>
/// <see cref="ISharedFlight"/> across every instance that shares one Redis (docs/decisions/0007).
/// Callers of one instance first meet in the <see cref="InProcessFlight"/>; its one runner then takes a
/// lock on <c>flight:{hash}:lock</c> (DistributedLock.Redis: <c>SET NX PX lease</c>, the lease renewed
/// while the work runs, so work longer than the lease still runs once). The winner runs the work, stores
/// the result encrypted with Data Protection under <c>flight:{hash}:result</c>, releases the lock and
/// publishes; the others wait for that message, re-check on a bounded back-off (a message can be missed)
/// and take the lock over when its lease runs out (the winner died: nobody renews it). While Redis is down
/// the instance runs the work itself (<see cref="RedisOutage"/>): pages keep working, one exchange per instance.
/// </summary>
internal sealed partial class RedisSharedFlight(
    RedisConnection redis,
    InProcessFlight local,
    RedisOutage outage,
    IDataProtectionProvider dataProtection,
    IOptions<SharedStoreOptions> options,
    TimeProvider time,
    ILogger<RedisSharedFlight> logger) : ISharedFlight
{
    /// <summary>Where winners announce a finished (or failed) flight; the message is the key's hash.</summary>
    public static readonly RedisChannel DoneChannel = RedisChannel.Literal("flight:done");

    /// <summary>The <see cref="SecretKey"/> purpose of a flight's key (it may hold a token's id).</summary>
    public const string KeyPurpose = "shared-flight";

    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(20);

    // A waiter that saw the lock released before it could read the holder accepts whichever result is there.
    private const string AnyOwner = "*";

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _wakeups = new(StringComparer.Ordinal);
    private ChannelSubscription? _done;

    // Created on first use (construction subscribes nothing); one instance however many threads race here.
    private ChannelSubscription Done => LazyInitializer.EnsureInitialized(ref _done, () => new ChannelSubscription(redis, DoneChannel, message =>
    {
        if (_wakeups.TryRemove(message.ToString(), out var wakeup))
        {
            wakeup.TrySetResult();
        }
    }));

    public Task<T> RunAsync<T>(string key, Func<CancellationToken, Task<SharedResult<T>>> work, CancellationToken cancellationToken) =>
        local.RunAsync(key, token => AcrossInstancesAsync(key, work, token), cancellationToken);

    private async Task<SharedResult<T>> AcrossInstancesAsync<T>(string key, Func<CancellationToken, Task<SharedResult<T>>> work, CancellationToken cancellationToken)
    {
        if (outage.IsSkipping)
        {
            return await work(cancellationToken);
        }

        var flight = new FlightKeys(SecretKey.Of(KeyPurpose, key), Protector(key));
        (RedisDistributedLockHandle? Lock, SharedResult<T> Result) outcome;
        try
        {
            outcome = await WaitOrWinAsync<T>(flight, cancellationToken);
            outage.Succeeded("flight");
        }
        catch (Exception ex) when (RedisOutage.IsOutage(ex))
        {
            // Degrade: this instance runs the work itself, so the page still works.
            outage.Failed("flight", ex);
            return await work(cancellationToken);
        }

        return outcome.Lock is { } held ? await RunAsWinnerAsync(flight, held, work, cancellationToken) : outcome.Result;
    }

    /// <summary>Returns the winner's result, or the lock once this caller holds it.</summary>
    private async Task<(RedisDistributedLockHandle? Lock, SharedResult<T> Result)> WaitOrWinAsync<T>(FlightKeys flight, CancellationToken cancellationToken)
    {
        // Best effort: a waiter that is not (yet) subscribed still finds the result by re-checking.
        Done.Ensure();
        var settings = options.Value;
        var deadline = time.GetUtcNow() + settings.FlightWaitLimit;
        var pause = FirstPoll;
        string? awaitedOwner = null;
        try
        {
            while (true)
            {
                // Registered before the read, so a message sent after it is not missed.
                var wakeup = _wakeups.GetOrAdd(flight.Hash, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                if (StoredResult.Parse(await redis.Database.StringGetAsync(flight.ResultKey), flight.Protector) is { } stored
                    && (stored.Reusable || stored.Owner == awaitedOwner || awaitedOwner == AnyOwner))
                {
                    // Reused as this flight's answer: the callers of this instance share it, later ones ask Redis again.
                    return (null, new SharedResult<T>(stored.Read<T>(), TimeSpan.Zero));
                }

                // One try (no busy wait: the wakeup below is the wait). The lock's value is the library's
                // lock id; the winner tags its result with it, so a waiter knows the result of its flight.
                var held = await Lock(flight).TryAcquireAsync(TimeSpan.Zero, cancellationToken);
                if (held is not null)
                {
                    try
                    {
                        flight.Owner = (string?)await redis.Database.StringGetAsync(flight.LockKey) ?? flight.Owner;
                    }
                    catch
                    {
                        // Redis failed right after the win: let the lock go, or its renewal would hold it for nothing.
                        await ReleaseQuietlyAsync(held);
                        throw;
                    }

                    return (held, default);
                }

                // Released between the try and this read: the flight just ended, so its result (if any) is the
                // one to take, whoever wrote it (a failed flight writes none, and this caller then runs the work).
                var holder = (string?)await redis.Database.StringGetAsync(flight.LockKey) ?? AnyOwner;

                if (awaitedOwner is null)
                {
                    LogWaiting(logger, flight.Hash);
                }

                // The flight this caller waits for; it changes when a waiter elsewhere takes an expired lease over.
                awaitedOwner = holder;
                if (holder == AnyOwner)
                {
                    continue;
                }

                if (time.GetUtcNow() >= deadline)
                {
                    throw new UpstreamUnavailableException($"Another instance did not finish the shared work within {settings.FlightWaitLimit.TotalSeconds:0} s.");
                }

                await Task.WhenAny(wakeup.Task, Task.Delay(pause, time, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, settings.FlightMaxPoll.Ticks));
            }
        }
        finally
        {
            _wakeups.TryRemove(flight.Hash, out _);
        }
    }

    private async Task<SharedResult<T>> RunAsWinnerAsync<T>(
        FlightKeys flight, RedisDistributedLockHandle held, Func<CancellationToken, Task<SharedResult<T>>> work, CancellationToken cancellationToken)
    {
        SharedResult<T> result;
        try
        {
            result = await work(cancellationToken);
        }
        catch
        {
            // Not remembered: waiters wake, find no result and the lock free, and run the work themselves.
            await ReleaseAsync(flight, held);
            throw;
        }

        try
        {
            var reuse = result.ReuseFor > TimeSpan.Zero;
            var payload = Convert.ToBase64String(flight.Protector.Protect(JsonSerializer.SerializeToUtf8Bytes(result.Value)));
            // A result for current waiters only is kept as long as a waiter may still be looking for it.
            await redis.Database.StringSetAsync(flight.ResultKey, $"{flight.Owner}|{(reuse ? 'r' : 'w')}|{payload}", reuse ? result.ReuseFor : options.Value.FlightLease);
            outage.Succeeded("flight result");
        }
        catch (Exception ex) when (RedisOutage.IsOutage(ex))
        {
            // The local callers still get the result; other instances' waiters run the work themselves.
            outage.Failed("flight result", ex);
        }

        await ReleaseAsync(flight, held);
        return result;
    }

    private async Task ReleaseAsync(FlightKeys flight, RedisDistributedLockHandle held)
    {
        try
        {
            // Stops the renewal and deletes the lock only while it is still ours (the library's compare-and-delete).
            await held.DisposeAsync();
            await Done.PublishAsync(flight.Hash);
        }
        catch (Exception ex) when (RedisOutage.IsOutage(ex))
        {
            // The lease frees the lock by itself; waiters re-check on their own schedule.
            outage.Failed("flight release", ex);
        }
    }

    private static async Task ReleaseQuietlyAsync(RedisDistributedLockHandle held)
    {
        try
        {
            await held.DisposeAsync();
        }
        catch (Exception ex) when (RedisOutage.IsOutage(ex))
        {
            // The renewal has stopped; the lease frees the lock by itself.
        }
    }

    /// <summary>
    /// The flight's lock: held for <see cref="SharedStoreOptions.FlightLease"/> and renewed by the library
    /// every third of it while the work runs. If a renewal fails (Redis down mid-work) the work goes on:
    /// another instance may then run it too, as during any outage.
    /// </summary>
    private RedisDistributedLock Lock(FlightKeys flight) =>
        new(flight.LockKey, redis.Database, o => o.Expiry(options.Value.FlightLease));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Waiting for another caller's flight {FlightHash} to finish")]
    private static partial void LogWaiting(ILogger logger, string flightHash);

    private IDataProtector Protector(string key)
    {
        // One purpose per use ("credentials", "refresh", …): a result of one use cannot be read as another's.
        var separator = key.IndexOf(':', StringComparison.Ordinal);
        return dataProtection.CreateProtector("CleanCognito.SharedFlight", separator > 0 ? key[..separator] : key);
    }

    /// <summary>A result as stored: <c>{owner}|{r: reusable, w: for waiters}|{protected JSON}</c>. Only the JSON is secret.</summary>
    private sealed record StoredResult(string Owner, bool Reusable, byte[] Json)
    {
        public static StoredResult? Parse(RedisValue value, IDataProtector protector)
        {
            var parts = value.IsNullOrEmpty ? [] : value.ToString().Split('|', 3);
            if (parts.Length != 3)
            {
                return null;
            }

            try
            {
                return new StoredResult(parts[0], parts[1] == "r", protector.Unprotect(Convert.FromBase64String(parts[2])));
            }
            catch (Exception ex) when (ex is CryptographicException or FormatException)
            {
                // Unreadable (another key ring, or tampered with): as if absent, so this caller runs the work.
                return null;
            }
        }

        public T Read<T>() => JsonSerializer.Deserialize<T>(Json)!;
    }

    private sealed record FlightKeys(string Hash, IDataProtector Protector)
    {
        /// <summary>How this caller's result is tagged: the lock id it won with.</summary>
        public string Owner { get; set; } = Guid.NewGuid().ToString("N");

        public RedisKey LockKey => $"flight:{Hash}:lock";

        public RedisKey ResultKey => $"flight:{Hash}:result";
    }
}
