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
    public byte[]? Get(string key) => Try("cache get", () => redis.Get(key));

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => TryAsync("cache get", () => redis.GetAsync(key, token));

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Try<object?>("cache set", () =>
    {
        redis.Set(key, value, options);
        return null;
    });

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        TryAsync<object?>("cache set", async () =>
        {
            await redis.SetAsync(key, value, options, token);
            return null;
        });

    public void Refresh(string key) => Try<object?>("cache refresh", () =>
    {
        redis.Refresh(key);
        return null;
    });

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        TryAsync<object?>("cache refresh", async () =>
        {
            await redis.RefreshAsync(key, token);
            return null;
        });

    public void Remove(string key) => Try<object?>("cache remove", () =>
    {
        redis.Remove(key);
        return null;
    });

    public Task RemoveAsync(string key, CancellationToken token = default) =>
        TryAsync<object?>("cache remove", async () =>
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

    private T? Try<T>(string operation, Func<T?> call)
    {
        if (!Available())
        {
            return default;
        }

        try
        {
            var result = call();
            outage.Succeeded(operation);
            return result;
        }
        catch (Exception ex) when (RedisOutage.IsOutage(ex))
        {
            outage.Failed(operation, ex);
            return default;
        }
    }

    private async Task<T?> TryAsync<T>(string operation, Func<Task<T?>> call)
    {
        if (!Available())
        {
            return default;
        }

        try
        {
            var result = await call();
            outage.Succeeded(operation);
            return result;
        }
        catch (Exception ex) when (RedisOutage.IsOutage(ex))
        {
            outage.Failed(operation, ex);
            return default;
        }
    }
}
