using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CleanCognito.Infrastructure.Http;

internal static class TransportFailure
{
    /// <summary>
    /// True for the ways an HTTP call fails without an answer worth reading: connection refused or
    /// reset, a timeout of the resilience pipeline, an open circuit. A cancellation the caller asked
    /// for is not a failure of the upstream and is left to propagate.
    /// </summary>
    public static bool Is(Exception exception, CancellationToken callerToken) =>
        exception switch
        {
            HttpRequestException or TimeoutRejectedException or BrokenCircuitException => true,
            OperationCanceledException => !callerToken.IsCancellationRequested,
            _ => false,
        };
}
