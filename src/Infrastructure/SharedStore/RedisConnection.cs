using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CleanCognito.Infrastructure.SharedStore;

/// <summary>
/// The one connection to the shared store, opened on first use. StackExchange.Redis multiplexes every
/// caller over it and reconnects by itself; each command is bounded by its sync/async timeouts.
/// </summary>
public sealed partial class RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger) : IDisposable
{
    /// <summary>How long a connect or a command may take before it fails (the library's default is 5 s).</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(3);

    private readonly Lazy<ConnectionMultiplexer> _multiplexer = new(() => Connect(options.Value, logger));

    /// <summary>The database, connecting on first use. Only the Redis adapters call it (SharedStoreMode.IsShared).</summary>
    public IDatabase Database => _multiplexer.Value.GetDatabase();

    /// <summary>The connection itself (pub/sub, connection events, the HybridCache L2), connecting on first use. Only the Redis adapters.</summary>
    public IConnectionMultiplexer Multiplexer => _multiplexer.Value;

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
        {
            _multiplexer.Value.Dispose();
        }
    }

    /// <summary>True when Redis refused this app's AUTH (a wrong or missing password), however deep it is wrapped.</summary>
    public static bool IsRefusedAuthentication(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure }
                || cause.Message.Contains("NOAUTH", StringComparison.Ordinal)
                || cause.Message.Contains("WRONGPASS", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static ConnectionMultiplexer Connect(RedisOptions options, ILogger logger)
    {
        var configuration = ConfigurationOptions.Parse(options.Configuration!);
        // AUTH: the user and password come apart from the connection string (the password from a
        // secret store), and win over any in it.
        if (!string.IsNullOrWhiteSpace(options.User))
        {
            configuration.User = options.User;
        }

        if (!string.IsNullOrEmpty(options.Password))
        {
            configuration.Password = options.Password;
        }

        // Start even while Redis is down and keep retrying in the background: a request that needs it
        // then fails within the timeouts below instead of the whole app refusing to start.
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = (int)CommandTimeout.TotalMilliseconds;
        configuration.SyncTimeout = (int)CommandTimeout.TotalMilliseconds;
        configuration.AsyncTimeout = (int)CommandTimeout.TotalMilliseconds;
        configuration.ClientName ??= "cleancognito";
        // While disconnected, fail a command at once instead of queueing it for the whole timeout:
        // during an outage every user of the store degrades immediately (RedisOutage), not after 3 s.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        var multiplexer = ConnectionMultiplexer.Connect(configuration);
        // Connect can return while the handshake is still finishing; with FailFast the first commands
        // would then fail as if Redis were down. Wait for it once, within the connect timeout.
        SpinWait.SpinUntil(() => multiplexer.IsConnected, CommandTimeout);
        if (!multiplexer.IsConnected)
        {
            ExplainRefusal(multiplexer, configuration.User, logger);
        }

        return multiplexer;
    }

    /// <summary>
    /// A refused AUTH looks like an outage to every user of the store, and is handled like one
    /// (RedisOutage: each instance uses its own state; pages that need the key ring answer 503). But it
    /// will not pass by itself: one Error at connect says which settings to fix, never the password.
    /// </summary>
    private static void ExplainRefusal(ConnectionMultiplexer multiplexer, string? user, ILogger logger)
    {
        try
        {
            // With FailFast this fails at once with the handshake's reason (NOAUTH, WRONGPASS, …).
            multiplexer.GetDatabase().Ping();
        }
        catch (Exception ex) when ((ex is RedisException or TimeoutException) && IsRefusedAuthentication(ex))
        {
            LogRefused(logger, string.IsNullOrWhiteSpace(user) ? "default" : user);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Unreachable or slow: an outage, reported where the store is used (RedisOutage).
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message =
        "Redis refused this app's credentials (user {User}): check Redis:User and Redis:Password (env Redis__User, Redis__Password). Until they are " +
        "right each instance uses its own in-memory state, as during an outage, and pages that need the Data Protection key ring from Redis answer 503.")]
    private static partial void LogRefused(ILogger logger, string user);
}
