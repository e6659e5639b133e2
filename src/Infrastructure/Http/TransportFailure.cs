using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CleanCognito.Infrastructure.Http;

internal static class TransportFailure
{
    /// <summary>
    /// True for the ways an HTTP call fails without an answer worth reading: connection refused or
    /// reset, a timeout of the resilience pipeline, an open circuit. Refit 16 wraps these in
    /// <c>ApiRequestException</c>, so the whole chain of inner exceptions is searched. A
    /// cancellation the caller asked for is not a failure of the upstream and is left to propagate.
    /// </summary>
    public static bool Is(Exception exception, CancellationToken callerToken)
    {
        if (callerToken.IsCancellationRequested)
        {
            return false;
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or OperationCanceledException)
            {
                return true;
            }
        }

        return false;
    }
}
