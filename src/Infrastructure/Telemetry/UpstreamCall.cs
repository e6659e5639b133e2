using CleanCognito.Application.Common.Telemetry;

namespace CleanCognito.Infrastructure.Telemetry;

/// <summary>
/// The one way every adapter records a call to its upstream (AppSync, the user pool, the identity
/// pool, and S3, DynamoDB and any other AWS service through <see cref="Aws.UserAwsClients"/>): a span
/// <c>"{upstream} {operation}"</c> with the outcome, and one count in <c>cleancognito.upstream.calls</c>
/// by upstream, operation and outcome (<see cref="AppMetrics.UpstreamCall"/>, which also feeds the
/// older per-upstream counters). No stopwatch of its own: the span carries the duration.
/// Logging is not its business: the Web layer writes the one Warning of a failed call.
/// </summary>
internal static class UpstreamCall
{
    /// <param name="operation">The upstream's operation or the app's GraphQL operation name: a bounded set, never a key or a URL.</param>
    /// <param name="outcomeOf">The outcome of an answer, when an answer can be a refusal (a refresh token refused); default success.</param>
    public static async Task<T> RunAsync<T>(
        AppMetrics metrics, UpstreamName upstream, string operation, Func<Task<T>> call, Func<T, string>? outcomeOf = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(call);
        using var span = UpstreamSpan.Start($"{upstream.Name} {operation}", upstream.RpcService, operation);
        try
        {
            var result = await call();
            var outcome = outcomeOf?.Invoke(result) ?? AppMetrics.Outcomes.Success;
            metrics.UpstreamCall(upstream.Name, operation, outcome);
            UpstreamSpan.End(span, outcome);
            return result;
        }
        catch (Exception ex)
        {
            var outcome = AppMetrics.Outcomes.Of(ex);
            metrics.UpstreamCall(upstream.Name, operation, outcome);
            UpstreamSpan.End(span, outcome, ex);
            throw;
        }
    }

    /// <summary>The same, for a call without a result.</summary>
    public static Task RunAsync(AppMetrics metrics, UpstreamName upstream, string operation, Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return RunAsync(metrics, upstream, operation, async () =>
        {
            await call();
            return true;
        });
    }
}
