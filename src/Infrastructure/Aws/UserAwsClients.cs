using Amazon.Runtime;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Telemetry;
using CleanCognito.Infrastructure.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanCognito.Infrastructure.Aws;

/// <summary>
/// The one way an adapter calls AWS as the signed-in user, whatever the service: the user's
/// credentials from the one cache (through <see cref="ICurrentIdentity"/>, looked up once per
/// request), the pooled client of that identity and service, and one bound and one translation of
/// failures for every service:
/// <list type="bullet">
/// <item>the call, the SDK's retries included, gets the service's <c>TimeoutSeconds</c> (each attempt its <c>AttemptTimeoutSeconds</c>);</item>
/// <item>keys the service does not know or no longer accepts: the cached credentials are dropped on every instance and the call is made once more with a fresh exchange; a second refusal is a 503;</item>
/// <item>AccessDenied → <see cref="ForbiddenAccessException"/> (403 page);</item>
/// <item>throttling, other service errors, timeouts, refused connections → <see cref="UpstreamUnavailableException"/> (503 page with Retry-After).</item>
/// </list>
/// Errors the adapter throws itself (validation, not found) pass through. Scoped: one per request.
/// </summary>
internal sealed partial class UserAwsClients(ICurrentIdentity identity, AwsClientPool pool, IServiceProvider services, AppMetrics metrics, ILogger<UserAwsClients> logger)
{
    /// <summary>The current user's client of <typeparamref name="TClient"/>'s service, for a call the caller bounds itself.</summary>
    public async ValueTask<UserAwsClient<TClient>> GetClientAsync<TClient>(CancellationToken cancellationToken)
        where TClient : AmazonServiceClient
    {
        var service = Service<TClient>();
        var credentials = await identity.GetCredentialsAsync(cancellationToken);
        return new UserAwsClient<TClient>(pool.ClientFor(service, credentials), credentials);
    }

    /// <summary>
    /// Runs <paramref name="call"/> with the current user's client, bounded and translated (see the type's summary).
    /// </summary>
    /// <param name="operation">The API operation, for the log line (never a key, a token or a URL).</param>
    /// <param name="retryable">
    /// False when the call cannot be made twice (it read a request stream that cannot be rewound):
    /// refused keys are then still replaced, for the next request, and this one answers 503.
    /// </param>
    /// <param name="callTimeout">
    /// This call's bound instead of the service's <c>TimeoutSeconds</c>, for the one kind of call that
    /// is long by nature (S3's CompleteMultipartUpload of a large file may take minutes).
    /// </param>
    public Task<T> CallAsync<TClient, T>(
        string operation,
        Func<UserAwsClient<TClient>, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken,
        bool retryable = true,
        TimeSpan? callTimeout = null)
        where TClient : AmazonServiceClient
    {
        ArgumentNullException.ThrowIfNull(call);
        // Traced and counted like every upstream call: one span around the call and its one retry with fresh keys.
        return UpstreamCall.RunAsync(metrics, UpstreamName.OfAwsClient(typeof(TClient)), operation, () => CallOnceAsync(operation, call, retryable, callTimeout, cancellationToken));
    }

    private async Task<T> CallOnceAsync<TClient, T>(
        string operation,
        Func<UserAwsClient<TClient>, CancellationToken, Task<T>> call,
        bool retryable,
        TimeSpan? callTimeout,
        CancellationToken cancellationToken)
        where TClient : AmazonServiceClient
    {
        var service = Service<TClient>();
        // Outside the service's bound: the identity pool adapter bounds its own calls and reports its own failures.
        var credentials = await identity.GetCredentialsAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var user = new UserAwsClient<TClient>(pool.ClientFor(service, credentials), credentials);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(callTimeout ?? service.CallTimeout);
            try
            {
                return await call(user, bounded.Token);
            }
            catch (AmazonServiceException ex) when (AwsErrors.AreKeysRejected(ex))
            {
                LogKeysRejected(logger, service.Name, operation, ex.ErrorCode, attempt);
                if (attempt > 1)
                {
                    throw new UpstreamUnavailableException(service.Name, $"The {service.Name} service refused fresh keys too.", ex);
                }

                // This instance's clients go now; every instance's cached set goes with the eviction.
                pool.Drop(credentials.IdentityId);
                var renewed = await identity.RenewCredentialsAsync(credentials, cancellationToken);
                if (!retryable || renewed.AccessKeyId == credentials.AccessKeyId)
                {
                    throw new UpstreamUnavailableException(service.Name, $"The {service.Name} service refused the keys; they were replaced, try again.", ex);
                }

                credentials = renewed;
            }
            catch (AmazonServiceException ex) when (AwsErrors.IsAccessDenied(ex))
            {
                // The one line of a refusal: the 403 page logs nothing (it is not an outage).
                LogDenied(logger, service.Name, operation, (int)ex.StatusCode, ex.ErrorCode ?? "none");
                throw new ForbiddenAccessException("You are not allowed to do this.", ex);
            }
            catch (AmazonServiceException ex)
            {
                LogFailure(logger, service.Name, operation, (int)ex.StatusCode, ex.ErrorCode ?? "none");
                var why = AwsErrors.IsThrottling(ex) ? "is busy" : "did not complete the request";
                throw new UpstreamUnavailableException(service.Name, $"The {service.Name} service {why}.", ex);
            }
            catch (Exception ex) when (ex is AmazonClientException or HttpRequestException or IOException or TimeoutException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                LogFailure(logger, service.Name, operation, 0, ex.GetType().Name);
                throw new UpstreamUnavailableException(service.Name, $"The {service.Name} service did not answer in time.", ex);
            }
        }
    }

    private AwsService<TClient> Service<TClient>()
        where TClient : AmazonServiceClient =>
        services.GetService<AwsService<TClient>>()
        ?? throw new InvalidOperationException($"{typeof(TClient).Name} is not registered: add services.AddUserAwsService<{typeof(TClient).Name}, …>() (docs/adding-an-aws-service.md).");

    // Debug: the caller gets UpstreamUnavailableException, which the web layer logs once as the Warning
    // of this outage (upstream, kind, correlation id). A Warning here made two lines per failed call.
    [LoggerMessage(Level = LogLevel.Debug, Message = "AWS {Service} {Operation} failed: HTTP {StatusCode}, error code {ErrorCode}")]
    private static partial void LogFailure(ILogger logger, string service, string operation, int statusCode, string errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AWS {Service} {Operation} refused by the policy: HTTP {StatusCode}, error code {ErrorCode}")]
    private static partial void LogDenied(ILogger logger, string service, string operation, int statusCode, string errorCode);

    // Information: the call is made again with fresh keys; if that fails too, its 503 is the Warning.
    [LoggerMessage(Level = LogLevel.Information, Message = "AWS {Service} {Operation} refused the user's keys ({ErrorCode}, attempt {Attempt}): replacing the cached credentials")]
    private static partial void LogKeysRejected(ILogger logger, string service, string operation, string errorCode, int attempt);
}
