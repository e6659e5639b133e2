using System.Text;
using StackExchange.Redis;

namespace CleanCognito.Instances.Tests.SecretsAtRest;

/// <summary>One stored value (or member, field, stream entry field) of one Redis key, as bytes read one-to-one into text.</summary>
public sealed record RedisEntry(string Key, string Type, string Text);

/// <summary>
/// Every key in a Redis database, read by its type (SCAN, then GET, HGETALL, LRANGE, SMEMBERS, ZRANGE
/// or XRANGE), so a search sees all of what a person who can read the cache sees. Values are decoded
/// as Latin-1: one character per byte, so an ASCII secret inside binary data is still found.
/// </summary>
public static class RedisContents
{
    public static async Task<IReadOnlyList<RedisEntry>> ReadAllAsync(string configuration)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{configuration},allowAdmin=true,connectTimeout=5000");
        var server = redis.GetServers().Single();
        var database = redis.GetDatabase();
        var entries = new List<RedisEntry>();
        await foreach (var key in server.KeysAsync(pattern: "*", pageSize: 500))
        {
            var type = await database.KeyTypeAsync(key);
            IEnumerable<RedisValue> values = type switch
            {
                RedisType.String => [await database.StringGetAsync(key)],
                RedisType.Hash => (await database.HashGetAllAsync(key)).SelectMany(e => new[] { e.Name, e.Value }),
                RedisType.List => await database.ListRangeAsync(key),
                RedisType.Set => await database.SetMembersAsync(key),
                RedisType.SortedSet => (await database.SortedSetRangeByRankWithScoresAsync(key)).Select(e => e.Element),
                RedisType.Stream => (await database.StreamRangeAsync(key)).SelectMany(e => e.Values.SelectMany(v => new[] { v.Name, v.Value })),
                _ => throw new InvalidOperationException($"Key {key} has type {type}, which this reader does not know: add it, or the scan is blind to it."),
            };
            entries.Add(new RedisEntry(key!, type.ToString(), key!));
            entries.AddRange(values.Select(v => new RedisEntry(key!, type.ToString(), Encoding.Latin1.GetString((byte[])v!))));
        }

        return entries;
    }
}
