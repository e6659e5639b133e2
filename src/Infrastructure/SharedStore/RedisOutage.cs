using CleanCognito.Application.Common.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CleanCognito.Infrastructure.SharedStore;

/// <summary>
/// What every user of the shared store does while Redis is down: degrade to this instance's own
/// state (see docs/decisions/0007-shared-flight-and-redis-outages.md). After a failure Redis is left
/// alone for <see cref="SharedStoreOptions.OutageRetryAfter"/>, so a request during an outage does not
/// pay a failed round trip first; one Warning marks the start of an outage, one Information its end.
/// </summary>
/// <remarks>
/// Every Redis command reports here, so this is also where Redis calls are counted, in the one
/// upstream counter (<c>cleancognito.upstream.calls</c>, upstream <c>redis</c>, outcome success or
/// unavailable). Not traced per command: a span per cache read would drown the request's trace.
/// </remarks>
public sealed partial class RedisOutage(IOptions<SharedStoreOptions> options, TimeProvider time, AppMetrics metrics, ILogger<RedisOutage> logger)
{
    private long _retryAtTicks = long.MinValue;
    private int _down;

    /// <summary>True while Redis failed recently: skip it and use this instance's state.</summary>
    public bool IsSkipping => time.GetUtcNow().UtcTicks < Volatile.Read(ref _retryAtTicks);

    /// <summary>True when this failure means "the store is unreachable or too slow", the only failures that degrade.</summary>
    public static bool IsOutage(Exception exception) =>
        exception is RedisConnectionException or RedisTimeoutException or TimeoutException
        || exception is RedisException { InnerException: RedisConnectionException or TimeoutException };

    /// <summary>Records a failed command: skip Redis for a while, and log once per outage.</summary>
    /// <param name="operation">What the command was for (<c>cache get</c>, <c>flight</c>, …): a bounded set, never a key.</param>
    public void Failed(string operation, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        metrics.UpstreamCall(AppMetrics.Upstreams.Redis, operation, AppMetrics.Outcomes.Unavailable);
        // The message names the endpoint and the command, never a value (keys are hashes).
        Down(exception.GetType().Name, exception.Message);
    }

    /// <summary>Records that the connection is down (seen without sending a command).</summary>
    public void Disconnected() => Down("Disconnected", "the connection to Redis is not open.");

    /// <summary>Records a command that worked: ends the outage (logged once).</summary>
    /// <param name="operation">What the command was for: a bounded set, never a key.</param>
    public void Succeeded(string operation)
    {
        metrics.UpstreamCall(AppMetrics.Upstreams.Redis, operation, AppMetrics.Outcomes.Success);
        if (Volatile.Read(ref _down) == 1 && Interlocked.Exchange(ref _down, 0) == 1)
        {
            LogBack(logger);
        }
    }

    private void Down(string kind, string reason)
    {
        Volatile.Write(ref _retryAtTicks, (time.GetUtcNow() + options.Value.OutageRetryAfter).UtcTicks);
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            LogDown(logger, options.Value.OutageRetryAfter.TotalSeconds, kind, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "The shared store (Redis) is unavailable: each instance uses its own in-memory state until it returns (retried every {RetrySeconds} s). {ExceptionType}: {Reason}")]
    private static partial void LogDown(ILogger logger, double retrySeconds, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The shared store (Redis) is reachable again: instances share state again.")]
    private static partial void LogBack(ILogger logger);
}
