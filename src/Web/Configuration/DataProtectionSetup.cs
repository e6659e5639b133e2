using CleanCognito.Infrastructure.Configuration;
using CleanCognito.Infrastructure.DataProtection;
using CleanCognito.Infrastructure.SharedStore;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;

namespace CleanCognito.Web.Configuration;

internal static partial class DataProtectionSetup
{
    /// <summary>The configuration key of the folder that holds the shared key ring.</summary>
    public const string KeysPathKey = "DataProtection:KeysPath";

    /// <summary>
    /// Fixed so every instance (and every deployment folder) derives the same keys: Data Protection
    /// otherwise isolates apps by their content root path.
    /// </summary>
    public const string ApplicationName = "CleanCognito";

    /// <summary>The Redis list that holds the key ring when <c>Redis:Configuration</c> is set.</summary>
    public const string RedisKey = "CleanCognito:DataProtection-Keys";

    /// <summary>
    /// Data Protection encrypts the refresh-token cookie and the antiforgery tokens. Instances behind
    /// a load balancer must share one key ring, or a cookie written by one is unreadable on another:
    /// <c>DataProtection:KeysPath</c> names a folder they all mount. Without it each instance keeps
    /// its own keys, which is only right on one machine (a warning says so outside Local). With
    /// <c>Redis:Configuration</c> set, the ring lives in Redis instead and the folder is not used.
    /// With <c>DataProtection:KmsKeyId</c> set, every new key is encrypted with that KMS key before it
    /// is stored, wherever that is (required in Production with Redis: start-up validation).
    /// </summary>
    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);

        // Read when the options are first used, so every configuration source (tests included) counts.
        services.AddOptions<KeyManagementOptions>()
            .Configure<IConfiguration, ILoggerFactory, SharedStoreMode, RedisConnection, KeyRingKms>((options, configuration, loggerFactory, store, redis, kms) =>
            {
                if (KeyRingEncryptionOptions.IsSet(configuration))
                {
                    options.XmlEncryptor = new KmsXmlEncryptor(kms);
                }

                if (store.IsShared)
                {
                    options.XmlRepository = new RedisXmlRepository(() => redis.Database, RedisKey);
                }
                else if (KeysPath(configuration) is { } keysPath)
                {
                    options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(keysPath), loggerFactory);
                }
            });
        services.AddHostedService<UnsharedKeysWarning>();
        return services;
    }

    private static string? KeysPath(IConfiguration configuration) =>
        configuration[KeysPathKey] is { Length: > 0 } path && !string.IsNullOrWhiteSpace(path) ? path : null;

    private sealed partial class UnsharedKeysWarning(
        IConfiguration configuration, SharedStoreMode store, IHostEnvironment environment, ILogger<UnsharedKeysWarning> logger)
        : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (KeysPath(configuration) is null && !store.IsShared && !environment.IsLocal())
            {
                LogUnsharedKeys(logger, KeysPathKey, "DataProtection__KeysPath");
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message =
            "{Key} is not set: Data Protection keys stay on this instance. With several instances (or after a redeploy) " +
            "refresh-token cookies and antiforgery tokens written elsewhere are rejected. Set it (env {EnvironmentVariable}) " +
            "to a folder every instance shares, or set Redis:Configuration (env Redis__Configuration).")]
        private static partial void LogUnsharedKeys(ILogger logger, string key, string environmentVariable);
    }
}
