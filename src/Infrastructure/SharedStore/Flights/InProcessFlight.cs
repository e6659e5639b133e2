using System.Collections.Concurrent;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Infrastructure.SharedStore.Flights;

/// <summary>
/// <see cref="ISharedFlight"/> inside one process: the embedded default without a shared store, the
/// first stage of the Redis flight (so an instance sends one caller per key to Redis, not fifty), and
/// its fallback while Redis is down.
/// </summary>
/// <remarks>
/// The work runs on its own token, bounded by <see cref="MaxWorkTime"/>, not on the first caller's:
/// a caller that gives up (its request was aborted) stops waiting, but does not cancel the work the
/// other callers are waiting for.
/// </remarks>
public sealed class InProcessFlight(TimeProvider time) : ISharedFlight
{
    /// <summary>The longest a work may run before its token is cancelled: no flight waits forever.</summary>
    public static readonly TimeSpan MaxWorkTime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Flight> _flights = new(StringComparer.Ordinal);

    public async Task<T> RunAsync<T>(string key, Func<CancellationToken, Task<SharedResult<T>>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(work);

        while (true)
        {
            var candidate = new Flight<T>();
            var current = _flights.GetOrAdd(key, candidate);
            if (ReferenceEquals(current, candidate))
            {
                // Not awaited here: the work belongs to every caller of this flight, this one included.
                _ = RunWorkAsync(key, candidate, work);
            }
            else if (current.IsStale(time.GetUtcNow()))
            {
                // Finished and past its reuse time: retire it (unless someone already replaced it) and start anew.
                _flights.TryRemove(KeyValuePair.Create(key, current));
                continue;
            }

            // A key carries one result type (see ISharedFlight); a mismatch is a programming error and throws here.
            return await ((Flight<T>)current).Result.WaitAsync(cancellationToken);
        }
    }

    private async Task RunWorkAsync<T>(string key, Flight<T> flight, Func<CancellationToken, Task<SharedResult<T>>> work)
    {
        using var timeout = new CancellationTokenSource(MaxWorkTime, time);
        try
        {
            // Yield first, so the work never runs inline on the caller that happened to start it.
            await Task.Yield();
            var result = await work(timeout.Token);
            if (result.ReuseFor > TimeSpan.Zero)
            {
                flight.ReuseUntil = time.GetUtcNow() + result.ReuseFor;
            }
            else
            {
                // Current waiters hold the flight already; later callers start a new one.
                _flights.TryRemove(KeyValuePair.Create(key, (Flight)flight));
            }

            flight.Complete(result.Value);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested)
        {
            // Our own bound, not a caller giving up: callers see an outage (503), not a cancelled request.
            _flights.TryRemove(KeyValuePair.Create(key, (Flight)flight));
            flight.Fail(new UpstreamUnavailableException($"The work shared under one key did not finish within {MaxWorkTime.TotalSeconds:0} s.", ex));
        }
        catch (Exception ex)
        {
            // A failure is not remembered: the next caller runs the work again.
            _flights.TryRemove(KeyValuePair.Create(key, (Flight)flight));
            flight.Fail(ex);
        }
    }

    private abstract class Flight
    {
        private long _reuseUntilTicks = long.MinValue;

        /// <summary>Set before the result is published, so a finished flight always carries its final reuse time.</summary>
        public DateTimeOffset ReuseUntil
        {
            set => Volatile.Write(ref _reuseUntilTicks, value.UtcTicks);
        }

        protected abstract bool IsFinished { get; }

        public bool IsStale(DateTimeOffset now) => IsFinished && now.UtcTicks >= Volatile.Read(ref _reuseUntilTicks);
    }

    private sealed class Flight<T> : Flight
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Result => _result.Task;

        protected override bool IsFinished => _result.Task.IsCompleted;

        public void Complete(T value) => _result.TrySetResult(value);

        public void Fail(Exception exception) => _result.TrySetException(exception);
    }
}
