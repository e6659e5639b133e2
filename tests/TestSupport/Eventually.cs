namespace CleanCognito.TestSupport;

/// <summary>
/// The one way tests wait for something: poll a condition until it holds or a deadline passes, never
/// a fixed sleep. A timeout names the condition, how long and how often it was tried, and the last
/// state the caller describes, so a failure reads without a debugger.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Counts an HTTP connection refused or an HttpClient timeout as "not yet" (something still starting).</summary>
    public static bool Unreachable(Exception exception) => exception is HttpRequestException or TaskCanceledException;

    /// <summary>Waits until <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> otherwise.</summary>
    /// <param name="what">The condition in words, e.g. "both instances answer through the balancer".</param>
    /// <param name="every">Pause between attempts (50 ms by default; zero when each attempt is slow itself).</param>
    /// <param name="lastSeen">Describes the state at the timeout, for the failure message.</param>
    /// <param name="notYet">Exceptions the condition may throw while it does not hold yet; any other exception ends the wait at once.</param>
    public static async Task TrueAsync(
        string what,
        Func<Task<bool>> condition,
        TimeSpan within,
        TimeSpan? every = null,
        Func<string>? lastSeen = null,
        Func<Exception, bool>? notYet = null)
    {
        var outcome = await PollAsync(condition, within, every, notYet);
        if (!outcome.Held)
        {
            var seen = lastSeen is null ? string.Empty : $" Last seen: {lastSeen()}";
            throw new TimeoutException(
                $"Not within {within.TotalSeconds:0.#} s ({outcome.Attempts} attempts): {what}.{seen}", outcome.LastException);
        }
    }

    /// <inheritdoc cref="TrueAsync(string, Func{Task{bool}}, TimeSpan, TimeSpan?, Func{string}?, Func{Exception, bool}?)"/>
    public static Task TrueAsync(string what, Func<bool> condition, TimeSpan within, TimeSpan? every = null, Func<string>? lastSeen = null) =>
        TrueAsync(what, () => Task.FromResult(condition()), within, every, lastSeen);

    /// <summary>Waits until <paramref name="probe"/> returns a value and returns it; throws <see cref="TimeoutException"/> otherwise.</summary>
    public static async Task<T> ValueAsync<T>(string what, Func<T?> probe, TimeSpan within, TimeSpan? every = null, Func<string>? lastSeen = null)
        where T : class
    {
        T? value = null;
        await TrueAsync(what, () => (value = probe()) is not null, within, every, lastSeen);
        return value!;
    }

    /// <summary>
    /// Waits at most <paramref name="within"/> and says whether the condition held, for waits whose
    /// timeout is not a failure (e.g. give processes a moment to exit, then kill what is left).
    /// </summary>
    public static async Task<bool> WithinAsync(Func<bool> condition, TimeSpan within, TimeSpan? every = null) =>
        (await PollAsync(() => Task.FromResult(condition()), within, every, notYet: null)).Held;

    private static async Task<(bool Held, int Attempts, Exception? LastException)> PollAsync(
        Func<Task<bool>> condition, TimeSpan within, TimeSpan? every, Func<Exception, bool>? notYet)
    {
        var deadline = DateTime.UtcNow + within;
        var attempts = 0;
        Exception? last = null;
        while (true)
        {
            attempts++;
            try
            {
                if (await condition())
                {
                    return (true, attempts, null);
                }
            }
            catch (Exception exception) when (notYet?.Invoke(exception) == true)
            {
                last = exception;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return (false, attempts, last);
            }

            await Task.Delay(every ?? DefaultInterval);
        }
    }
}
