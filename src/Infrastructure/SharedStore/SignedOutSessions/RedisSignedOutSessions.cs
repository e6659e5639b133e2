using System.Collections.Concurrent;
using System.Globalization;
using CleanCognito.Application.Common.Interfaces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CleanCognito.Infrastructure.SharedStore.SignedOutSessions;

/// <summary>
/// The sign-out denylist shared by every instance through Redis. Requests only read an in-memory
/// mirror (<see cref="Contains"/> never waits for the network); the mirror is fed by a pub/sub
/// message per sign-out and reloaded in full when the connection comes back and every
/// <see cref="ReloadInterval"/>, in case a message was lost. A sign-out writes through to Redis before
/// it returns. While Redis is unreachable a sign-out is refused on its own instance at once and
/// written to Redis when it returns (docs/decisions/0008-sign-out-denylist.md).
/// </summary>
/// <remarks>
/// Redis holds one sorted set: member = id (an <c>origin_jti</c>, a <c>jti</c> or a refresh token's
/// hash, never a token), score = when it expires (Unix ms). Writes drop expired members and extend
/// the key's TTL to the latest expiry, so the set is gone when the last signed-out token has expired.
/// </remarks>
public sealed partial class RedisSignedOutSessions(RedisConnection redis, RedisOutage outage, TimeProvider time, ILogger<RedisSignedOutSessions> logger)
    : ISignedOutSessions, IHostedService, IDisposable
{
    public const string Key = "CleanCognito:SignedOut";

    /// <summary>A full reload this often bounds how late a lost pub/sub message can make another instance.</summary>
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(60);

    /// <summary>After a failed sync (Redis down), how soon the next try comes; it costs nothing while disconnected.</summary>
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long the start waits for the first load: the connect timeout plus one command.</summary>
    private static readonly TimeSpan StartWait = RedisConnection.CommandTimeout * 2;

    private static readonly RedisChannel Channel = RedisChannel.Literal(Key);

    // KEYS[1] the set; ARGV[1] now (ms); ARGV[2] until (ms); ARGV[3..] the ids.
    private const string AddScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        for i = 3, #ARGV do
          redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[i])
        end
        local ttl = tonumber(ARGV[2]) - tonumber(ARGV[1])
        if redis.call('PTTL', KEYS[1]) < ttl then
          redis.call('PEXPIRE', KEYS[1], ttl)
        end
        return #ARGV - 2
        """;

    private readonly InMemorySignedOutSessions _mirror = new(time);
    private readonly ConcurrentQueue<SignedOutSession> _pending = new();
    private readonly ConcurrentQueue<TaskCompletionSource> _syncWaiters = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _sync;
    private ChannelSubscription? _changes;
    private bool _eventsHooked;

    private ChannelSubscription Changes => LazyInitializer.EnsureInitialized(ref _changes, () => new ChannelSubscription(redis, Channel, Apply));

    /// <summary>Sign-outs kept on this instance only, waiting for Redis to come back.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Completes after the next sync that worked: waiting sign-outs written, the whole set reloaded ("caught up with Redis").</summary>
    public Task NextSyncAsync()
    {
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _syncWaiters.Enqueue(next);
        Wake();
        return next.Task;
    }

    public bool Contains(string id) => _mirror.Contains(id);

    public async Task AddAsync(SignedOutSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        // This instance refuses the session at once, whatever happens to the write below.
        _mirror.Remember(session.Ids, session.Until);
        if (!await TryWriteAsync(session))
        {
            _pending.Enqueue(session);
            LogKeptLocally(logger);
        }
    }

    /// <summary>
    /// Loads the denylist before the app serves its first request, so a restarted instance does not
    /// accept sessions signed out while it was away; an unreachable Redis holds up the start at most
    /// <see cref="StartWait"/>, and the instance catches up once Redis answers.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var firstSync = NextSyncAsync();
        _sync = Task.Run(() => SyncLoopAsync(_stopping.Token), CancellationToken.None);
        try
        {
            await firstSync.WaitAsync(StartWait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogStartedWithoutDenylist(logger);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_sync is null)
        {
            return;
        }

        try
        {
            await _stopping.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // A test host may dispose the services before it stops them; the loop has ended with them.
            return;
        }

        await _sync.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    // The container disposes it twice (as itself and as the hosted service): both calls must be harmless.
    public void Dispose()
    {
        _stopping.Dispose();
        _wake.Dispose();
    }

    private async Task SyncLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var waiters = new List<TaskCompletionSource>();
            while (_syncWaiters.TryDequeue(out var waiter))
            {
                waiters.Add(waiter);
            }

            var synced = await TrySyncAsync();
            if (synced)
            {
                waiters.ForEach(w => w.TrySetResult());
            }
            else
            {
                // Not caught up: whoever waits keeps waiting for a sync that works.
                waiters.ForEach(_syncWaiters.Enqueue);
            }

            try
            {
                await _wake.WaitAsync(synced ? ReloadInterval : RetryInterval, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Writes what waited, subscribes, then reloads the whole set (subscribing first, so nothing falls between).</summary>
    private async Task<bool> TrySyncAsync()
    {
        try
        {
            var multiplexer = redis.Multiplexer;
            HookEvents(multiplexer);
            if (!multiplexer.IsConnected)
            {
                return false;
            }

            while (_pending.TryPeek(out var session))
            {
                if (session.Until > time.GetUtcNow() && !await TryWriteAsync(session, probing: true))
                {
                    return false;
                }

                _pending.TryDequeue(out _);
            }

            await Changes.EnsureAsync();

            var now = time.GetUtcNow();
            var entries = await redis.Database.SortedSetRangeByScoreWithScoresAsync(Key, now.ToUnixTimeMilliseconds(), double.PositiveInfinity, Exclude.Start);
            foreach (var entry in entries)
            {
                _mirror.Remember([entry.Element.ToString()], DateTimeOffset.FromUnixTimeMilliseconds((long)entry.Score));
            }

            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogSyncFailed(logger, ex.GetType().Name);
            return false;
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (ObjectDisposedException)
        {
            // The app is stopping (a reconnection event may still arrive): nothing left to sync.
        }
    }

    private void HookEvents(IConnectionMultiplexer multiplexer)
    {
        if (_eventsHooked)
        {
            return;
        }

        _eventsHooked = true;
        // Pub/sub messages sent while the connection was down are lost: catch up as soon as it is back.
        multiplexer.ConnectionRestored += (_, _) => Wake();
        multiplexer.ConnectionFailed += (_, args) => LogConnectionFailed(logger, args.ConnectionType.ToString(), args.FailureType.ToString());
    }

    /// <param name="probing">True from the sync loop: it tries Redis even while the outage tracker says to skip it, to notice its return.</param>
    private async Task<bool> TryWriteAsync(SignedOutSession session, bool probing = false)
    {
        try
        {
            if (outage.IsSkipping && !probing)
            {
                // Redis failed a moment ago: do not make the sign-out wait for the command timeout.
                return false;
            }

            var multiplexer = redis.Multiplexer;
            if (!multiplexer.IsConnected)
            {
                return false;
            }

            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var until = session.Until.ToUnixTimeMilliseconds();
            RedisValue[] arguments = [now, until, .. session.Ids.Select(id => (RedisValue)id)];
            await redis.Database.ScriptEvaluateAsync(AddScript, [Key], arguments);
            await Changes.PublishAsync(Message(session));
            outage.Succeeded("sign-out add");
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Any Redis failure, not only an outage: a sign-out never fails because of the shared store.
            if (RedisOutage.IsOutage(ex))
            {
                outage.Failed("sign-out add", ex);
            }

            LogWriteFailed(logger, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>The pub/sub message: the expiry (Unix ms), then one id per line. Ids never contain a line break.</summary>
    private static string Message(SignedOutSession session) =>
        string.Join('\n', session.Ids.Prepend(session.Until.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));

    private void Apply(RedisValue message)
    {
        var lines = message.ToString().Split('\n');
        if (lines.Length < 2 || !long.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var until))
        {
            return;
        }

        _mirror.Remember(lines.Skip(1), DateTimeOffset.FromUnixTimeMilliseconds(until));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Started without the sign-out denylist: Redis did not answer; sessions signed out elsewhere are refused here once it does")]
    private static partial void LogStartedWithoutDenylist(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unreachable at sign-out: the session is refused on this instance now and on the others once Redis is back")]
    private static partial void LogKeptLocally(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write a sign-out to Redis ({Error})")]
    private static partial void LogWriteFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reload the sign-out denylist from Redis ({Error}); retrying when the connection is back")]
    private static partial void LogSyncFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis connection lost ({ConnectionType}, {FailureType}): sign-outs on other instances reach this one when it is back")]
    private static partial void LogConnectionFailed(ILogger logger, string connectionType, string failureType);
}
