using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace CleanCognito.Infrastructure.Http;

internal static class TransportFailure
{
    /// <summary>
    /// True for the ways an HTTP call fails without an answer worth reading: connection refused or
    /// reset, a timeout of the resilience pipeline, an open circuit — also when Refit wraps them in
    /// <see cref="ApiRequestException"/>. A cancellation the caller asked for is not a failure of
    /// the upstream and is left to propagate.
    /// </summary>
    public static bool Is(Exception exception, CancellationToken callerToken) =>
        exception switch
        {
            ApiRequestException { InnerException: { } inner } => Is(inner, callerToken),
            HttpRequestException or TimeoutRejectedException or BrokenCircuitException => true,
            OperationCanceledException => !callerToken.IsCancellationRequested,
            _ => false,
        };
}
