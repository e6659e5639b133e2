using StackExchange.Redis;

namespace CleanCognito.Infrastructure.SharedStore;

/// <summary>
/// One Redis pub/sub channel this instance listens to, subscribed once: the first
/// <see cref="EnsureAsync"/> subscribes, later calls return the same subscription, and a failed try
/// (Redis down) is made again by the next call. StackExchange.Redis subscribes again by itself after
/// a reconnect, so nothing else is needed; a message sent while disconnected is lost, which is why
/// every user of a channel also re-reads the store on its own schedule.
/// </summary>
public sealed class ChannelSubscription(RedisConnection redis, RedisChannel channel, Action<RedisValue> onMessage)
{
    private readonly Lock _gate = new();
    private Task? _subscription;

    /// <summary>Subscribes unless subscribed (or subscribing) already; completes when Redis confirmed it.</summary>
    public Task EnsureAsync()
    {
        lock (_gate)
        {
            if (_subscription is null || _subscription.IsFaulted || _subscription.IsCanceled)
            {
                _subscription = redis.Multiplexer.GetSubscriber().SubscribeAsync(channel, (_, message) => onMessage(message));
                // Observed, so a failed try is not an unobserved task exception when nobody awaits it.
                _subscription.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }

            return _subscription;
        }
    }

    /// <summary>Subscribes in the background: for a caller that re-checks the store anyway and must not wait.</summary>
    public void Ensure() => _ = EnsureAsync();

    /// <summary>Sends <paramref name="message"/> to every instance listening (this one included).</summary>
    public Task PublishAsync(RedisValue message) => redis.Multiplexer.GetSubscriber().PublishAsync(channel, message);
}
