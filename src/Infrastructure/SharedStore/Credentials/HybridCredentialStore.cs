using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CleanCognito.Infrastructure.SharedStore.Credentials;

/// <summary>
/// <see cref="ICredentialStore"/> on <see cref="HybridCache"/>: entries in this process's memory (L1),
/// and with <c>Redis:Configuration</c> also in Redis (L2), so an instance finds what another fetched.
/// Credentials reach L2 only encrypted (<see cref="ProtectedCredentialsSerializer"/>). A removal is
/// published, and every instance drops its L1 copy and tells its client holders
/// (<see cref="IdentityRemoved"/>). While Redis is down only L1 is used (<see cref="DegradingDistributedCache"/>).
/// </summary>
/// <param name="shared">Whether entries are shared through Redis (<see cref="SharedStoreMode"/>); in memory only otherwise.</param>
internal sealed partial class HybridCredentialStore(HybridCache cache, RedisConnection redis, RedisOutage outage, TimeProvider time, ILogger<HybridCredentialStore> logger, bool shared)
    : ICredentialStore
{
    /// <summary>Where a removal is announced: <c>{instance}|{user key hash}|{IdentityId}</c>.</summary>
    public static readonly RedisChannel RemovedChannel = RedisChannel.Literal("credentials:removed");

    /// <summary>The <see cref="SecretKey"/> purposes of the keys by user id and by IdentityId.</summary>
    public const string UserPurpose = "credential-cache:user", IdentityPurpose = "credential-cache:identity";

    // An IdentityId never changes for a user of a pool; a day bounds what a deleted pool leaves behind.
    private static readonly TimeSpan IdentityIdLifetime = TimeSpan.FromHours(24);

    private readonly string _instance = Guid.NewGuid().ToString("N");
    private ChannelSubscription? _removed;

    public event Action<string>? IdentityRemoved;

    public ValueTask<string?> GetIdentityIdAsync(string userId, CancellationToken cancellationToken) =>
        GetAsync<string>(UserKey(SecretKey.Of(UserPurpose, userId)), cancellationToken);

    public ValueTask SetIdentityIdAsync(string userId, string identityId, CancellationToken cancellationToken) =>
        SetAsync(UserKey(SecretKey.Of(UserPurpose, userId)), identityId, IdentityIdLifetime, cancellationToken);

    public ValueTask<CachedCredentials?> GetCredentialsAsync(string identityId, CancellationToken cancellationToken) =>
        GetAsync<CachedCredentials>(CredentialsKey(identityId), cancellationToken);

    public ValueTask SetCredentialsAsync(CachedCredentials entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        // Kept until the cache would replace them anyway: what AWS says (Expiration) less the margin.
        var keepFor = entry.RefreshAt - time.GetUtcNow();
        return keepFor > TimeSpan.Zero
            ? SetAsync(CredentialsKey(entry.Credentials.IdentityId), entry, keepFor, cancellationToken)
            : ValueTask.CompletedTask;
    }

    public async ValueTask RemoveAsync(string userId, string? identityId, CancellationToken cancellationToken)
    {
        var userHash = SecretKey.Of(UserPurpose, userId);
        await ForgetAsync(userHash, identityId);
        if (Shared() && !outage.IsSkipping)
        {
            try
            {
                await Removed.PublishAsync($"{_instance}|{userHash}|{identityId}");
            }
            catch (Exception ex) when (RedisOutage.IsOutage(ex))
            {
                // The other instances keep their in-memory copies until these expire (docs/decisions/0007).
                outage.Failed("credential eviction", ex);
            }
        }
    }

    private static string UserKey(string userHash) => $"credential-cache:identity-id:{userHash}";

    private static string CredentialsKey(string identityId) => $"credential-cache:credentials:{SecretKey.Of(IdentityPurpose, identityId)}";

    private async ValueTask<T?> GetAsync<T>(string key, CancellationToken cancellationToken)
    {
        // A read that never calls a factory and writes nothing on a miss: HybridCache has no TryGet.
        var options = new HybridCacheEntryOptions { Flags = Tiers() | HybridCacheEntryFlags.DisableUnderlyingData };
        try
        {
            return await cache.GetOrCreateAsync<T?>(key, static _ => ValueTask.FromResult(default(T)), options, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or FormatException or NotSupportedException)
        {
            // Whatever the entry is (the IdentityId's too), one that cannot be read is a miss, never a 500:
            // it is dropped here and written again by the exchange that follows.
            LogUnreadableEntry(logger, ex.GetType().Name);
            await cache.RemoveAsync(key, CancellationToken.None);
            return default;
        }
    }

    private ValueTask SetAsync<T>(string key, T value, TimeSpan keepFor, CancellationToken cancellationToken) =>
        cache.SetAsync(key, value, new HybridCacheEntryOptions { Expiration = keepFor, LocalCacheExpiration = keepFor, Flags = Tiers() }, cancellationToken: cancellationToken);

    private async Task ForgetAsync(string userHash, string? identityId)
    {
        string[] keys = identityId is null ? [UserKey(userHash)] : [UserKey(userHash), CredentialsKey(identityId)];
        // Not the caller's token: a sign-out must forget even when its request is aborted. An outage
        // only skips the Redis side (DegradingDistributedCache); those entries then expire by themselves.
        await cache.RemoveAsync(keys, CancellationToken.None);

        if (identityId is not null)
        {
            IdentityRemoved?.Invoke(identityId);
        }
    }

    /// <summary>L1 and L2 with Redis configured (L2 misses while it is down); L1 only without it.</summary>
    private HybridCacheEntryFlags Tiers() => Shared() ? HybridCacheEntryFlags.None : HybridCacheEntryFlags.DisableDistributedCache;

    private bool Shared()
    {
        if (!shared)
        {
            return false;
        }

        // An outage is handled below HybridCache (DegradingDistributedCache): reads miss, writes are skipped.
        if (!outage.IsSkipping)
        {
            // Before this instance caches anything shared, so no removal published later is missed.
            Removed.Ensure();
        }

        return true;
    }

    private ChannelSubscription Removed => LazyInitializer.EnsureInitialized(ref _removed, () => new ChannelSubscription(redis, RemovedChannel, message => OnRemovedElsewhere(message.ToString())));

    private void OnRemovedElsewhere(string message)
    {
        var parts = message.Split('|');
        if (parts.Length != 3 || parts[0] == _instance)
        {
            return;
        }

        // Fire and forget on the subscriber's thread: removing from L1 is quick; log rather than lose a failure.
        _ = Task.Run(async () =>
        {
            try
            {
                await ForgetAsync(parts[1], parts[2].Length > 0 ? parts[2] : null);
            }
            catch (Exception ex)
            {
                LogForgetFailed(logger, ex);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A credential cache entry could not be read ({ExceptionType}): dropped and treated as a miss")]
    private static partial void LogUnreadableEntry(ILogger logger, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not drop the cached credentials of a user who signed out on another instance")]
    private static partial void LogForgetFailed(ILogger logger, Exception exception);
}

/// <summary>
/// Credentials leave the process only encrypted with Data Protection (the same key ring every instance
/// shares). An entry this instance cannot read — written with a key it does not have (Redis and an
/// instance restarted, so their key rings parted), or damaged — is a miss: the caller exchanges again
/// and the fresh entry replaces it. Never an exception: that was a 500 on every page that needs credentials.
/// </summary>
internal sealed partial class ProtectedCredentialsSerializer(IDataProtectionProvider dataProtection, ILogger<ProtectedCredentialsSerializer> logger)
    : IHybridCacheSerializer<CachedCredentials>
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("CleanCognito.CredentialCache", "v1");

    public CachedCredentials Deserialize(ReadOnlySequence<byte> source)
    {
        try
        {
            return JsonSerializer.Deserialize<CachedCredentials>(_protector.Unprotect(source.ToArray()))
                ?? throw new JsonException("An empty credential cache entry.");
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or NotSupportedException)
        {
            // The type only: the message of a Data Protection error names key ids, which are not secret but not useful either.
            LogUnreadable(logger, ex.GetType().Name);
            return null!;
        }
    }

    public void Serialize(CachedCredentials value, IBufferWriter<byte> target) =>
        target.Write(_protector.Protect(JsonSerializer.SerializeToUtf8Bytes(value)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "A shared credential cache entry could not be read ({ExceptionType}): treated as a miss, the credentials are fetched again")]
    private static partial void LogUnreadable(ILogger logger, string exceptionType);
}
