namespace CleanCognito.Infrastructure.SharedStore;

/// <summary>Timings of the shared store's users. Not settings a user needs: defaults fit AWS; tests shorten them.</summary>
public sealed class SharedStoreOptions
{
    /// <summary>
    /// How long a flight's lock is held before another instance may take over (the winner crashed).
    /// Well above the longest upstream call it guards (the identity pool's 10 s total timeout).
    /// </summary>
    public TimeSpan FlightLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a waiter waits for other instances in total before it gives up (503); below InProcessFlight.MaxWorkTime.</summary>
    public TimeSpan FlightWaitLimit { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>The longest pause between a waiter's re-checks (a missed notification costs at most this).</summary>
    public TimeSpan FlightMaxPoll { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>After a failed command, how long Redis is skipped before the next try.</summary>
    public TimeSpan OutageRetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
