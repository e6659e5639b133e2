using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure.Configuration;
using CleanCognito.Infrastructure.SharedStore.Credentials;
using CleanCognito.Infrastructure.SharedStore.Flights;
using CleanCognito.Infrastructure.SharedStore.SignedOutSessions;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.SharedStore;

/// <summary>
/// The shared store's ports, each with its two adapters side by side (a folder per store): Redis when
/// <see cref="SharedStoreMode"/> says so, the in-memory twin otherwise. Nothing connects to Redis
/// unless <c>Redis:Configuration</c> is set.
/// </summary>
internal static class SharedStoreRegistration
{
    public static IServiceCollection AddSharedStore(this IServiceCollection services)
    {
        services.AddValidatedOptions<RedisOptions, RedisOptionsValidator>(RedisOptions.SectionName);
        services.AddSingleton<SharedStoreMode>();
        services.AddSingleton<RedisConnection>();
        services.AddOptions<SharedStoreOptions>();
        services.AddSingleton<RedisOutage>();
        // Results and credentials leave the process encrypted with Data Protection (keys set up by Web).
        services.AddDataProtection();

        // "Once across instances" (credential exchange, token refresh). InProcessFlight is also the
        // Redis flight's first stage and its fallback during an outage, so it is always registered.
        services.AddSingleton<InProcessFlight>();
        services.AddSingleton<RedisSharedFlight>();
        services.AddByMode<ISharedFlight, InProcessFlight, RedisSharedFlight>();

        // The sign-out denylist. The Redis one's hosted side keeps its per-request mirror in step.
        services.AddSingleton<InMemorySignedOutSessions>();
        services.AddSingleton<RedisSignedOutSessions>();
        services.AddByMode<ISignedOutSessions, InMemorySignedOutSessions, RedisSignedOutSessions>();
        services.AddHostedService<SignedOutSessionsSync>();

        // The credential cache's entries: HybridCache in memory (L1), with Redis as its L2 when shared.
        services.AddHybridCache().AddSerializer<CachedCredentials, ProtectedCredentialsSerializer>();
        services.AddSingleton<IDistributedCache>(sp => sp.GetRequiredService<SharedStoreMode>().IsShared
            ? RedisSecondLevel(sp)
            : new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        services.AddSingleton<ICredentialStore>(sp => ActivatorUtilities.CreateInstance<HybridCredentialStore>(sp, sp.GetRequiredService<SharedStoreMode>().IsShared));
        return services;
    }

    private static void AddByMode<TPort, TInMemory, TRedis>(this IServiceCollection services)
        where TPort : class
        where TInMemory : TPort
        where TRedis : TPort =>
        services.AddSingleton<TPort>(sp => sp.GetRequiredService<SharedStoreMode>().IsShared
            ? sp.GetRequiredService<TRedis>()
            : sp.GetRequiredService<TInMemory>());

    // On the one shared connection; an outage makes reads miss and skips writes (DegradingDistributedCache).
    private static DegradingDistributedCache RedisSecondLevel(IServiceProvider sp)
    {
        var redis = sp.GetRequiredService<RedisConnection>();
        return new DegradingDistributedCache(
            new RedisCache(Options.Create(new RedisCacheOptions
            {
                ConnectionMultiplexerFactory = () => Task.FromResult(redis.Multiplexer),
                InstanceName = "CleanCognito:",
            })),
            redis,
            sp.GetRequiredService<RedisOutage>());
    }

    /// <summary>Loads and syncs the Redis denylist's mirror when shared; the in-memory one has nothing to sync.</summary>
    private sealed class SignedOutSessionsSync(SharedStoreMode mode, IServiceProvider services) : IHostedService
    {
        // Kept from the start: a stop may come after the host's services are disposed (a test host
        // stopped twice on dispose), and resolving then throws ObjectDisposedException.
        private RedisSignedOutSessions? _started;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!mode.IsShared)
            {
                return Task.CompletedTask;
            }

            _started = services.GetRequiredService<RedisSignedOutSessions>();
            return _started.StartAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => _started?.StopAsync(cancellationToken) ?? Task.CompletedTask;
    }
}
