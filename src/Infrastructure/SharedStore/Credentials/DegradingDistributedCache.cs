using Microsoft.Extensions.Caching.Distributed;

namespace CleanCognito.Infrastructure.SharedStore.Credentials;

/// <summary>
/// The HybridCache L2 (Redis) as the rest of the app treats the shared store: while it is down a read
/// is a miss and a write is skipped, reported once through <see cref="RedisOutage"/>. Without this,
/// HybridCache logs an Error for every failed read and StackExchange.Redis would be asked on every
/// request of an outage.
/// </summary>
internal sealed class DegradingDistributedCache(IDistributedCache redis, RedisConnection connection, RedisOutage outage) : IDistributedCache
{
    public byte[]? Get(string key) => Try(() => redis.Get(key));

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => TryAsync(() => redis.GetAsync(key, token));

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Try<object?>(() =>
    {
        redis.Set(key, value, options);
        return null;
    });

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        TryAsync<object?>(async () =>
        {
            await redis.SetAsync(key, value, options, token);
            return null;
        });

    public void Refresh(string key) => Try<object?>(() =>
    {
        redis.Refresh(key);
        return null;
    });

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        TryAsync<object?>(async () =>
        {
            await redis.RefreshAsync(key, token);
            return null;
        });

    public void Remove(string key) => Try<object?>(() =>
    {
        redis.Remove(key);
        return null;
    });

    public Task RemoveAsync(string key, CancellationToken token = default) =>
        TryAsync<object?>(async () =>
        {
            await redis.RemoveAsync(key, token);
            return null;
        });

    private bool Available()
    {
        if (outage.IsSkipping)
        {
            return false;
        }

        if (!connection.Multiplexer.IsConnected)
        {
            outage.Disconnected();
            return false;
        }

        return true;
    }

    private T? Try<T>(Func<T?> call)
    {
        if (!Available())
        {
            return default;
        }

        try
        {
            var result = call();
            outage.Succeeded();
            return result;
        }
        catch (Exception ex) when (RedisOutage.IsOutage(ex))
        {
            outage.Failed(ex);
            return default;
        }
    }

    private async Task<T?> TryAsync<T>(Func<Task<T?>> call)
    {
        if (!Available())
        {
            return default;
        }

        try
        {
            var result = await call();
            outage.Succeeded();
            return result;
        }
        catch (Exception ex) when (RedisOutage.IsOutage(ex))
        {
            outage.Failed(ex);
            return default;
        }
    }
}
