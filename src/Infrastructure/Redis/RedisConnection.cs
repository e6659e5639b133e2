using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CleanCognito.Infrastructure.Redis;

/// <summary>
/// The one connection to the shared store, opened on first use. StackExchange.Redis multiplexes every
/// caller over it and reconnects by itself; each command is bounded by its sync/async timeouts.
/// </summary>
public sealed class RedisConnection(IOptions<RedisOptions> options) : IDisposable
{
    /// <summary>How long a connect or a command may take before it fails (the library's default is 5 s).</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(3);

    private readonly Lazy<ConnectionMultiplexer> _multiplexer = new(() => Connect(options.Value));

    public bool IsConfigured => options.Value.IsConfigured;

    /// <summary>The database, connecting on first use. Only call it when <see cref="IsConfigured"/>.</summary>
    public IDatabase Database => _multiplexer.Value.GetDatabase();

    /// <summary>The connection itself (pub/sub, connection events, the HybridCache L2), connecting on first use. Only when <see cref="IsConfigured"/>.</summary>
    public IConnectionMultiplexer Multiplexer => _multiplexer.Value;

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
        {
            _multiplexer.Value.Dispose();
        }
    }

    private static ConnectionMultiplexer Connect(RedisOptions options)
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
        return multiplexer;
    }
}
