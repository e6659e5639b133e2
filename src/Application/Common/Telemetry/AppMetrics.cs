using System.Diagnostics.Metrics;
using CleanCognito.Application.Common.Exceptions;

namespace CleanCognito.Application.Common.Telemetry;

/// <summary>
/// The app's own instruments, made once through <see cref="IMeterFactory"/> (so each host, and each
/// test host, has its own meter). Recording costs next to nothing while nobody listens: with no OTLP
/// endpoint configured, nothing does.
/// Tags are bounded sets chosen by the app (an outcome, an operation name, an error type); never a
/// user id, a token, a key or a URL.
/// </summary>
public sealed class AppMetrics
{
    /// <summary>Upper bound on an error type's length: AppSync's types are short words, a longer value is cut.</summary>
    private const int MaxTagLength = 64;

    private readonly Counter<long> _credentialLookups;
    private readonly Counter<long> _exchanges;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _appSyncErrors;
    private readonly Counter<long> _uploadedBytes;
    private readonly Counter<long> _upstreamCalls;

    public AppMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(AppTelemetry.Name);
        _credentialLookups = meter.CreateCounter<long>(
            "cleancognito.credentials.lookups", "{lookup}", "AWS credential look-ups in the cache, by result (hit: served without an exchange; miss: this look-up exchanged).");
        _exchanges = meter.CreateCounter<long>(
            "cleancognito.identity_pool.calls", "{call}", "Calls to the Cognito identity pool, by operation (GetId, GetCredentialsForIdentity) and outcome.");
        _refreshes = meter.CreateCounter<long>(
            "cleancognito.session.refreshes", "{refresh}", "Refresh-token grants sent to the user pool's token endpoint, by outcome.");
        _appSyncErrors = meter.CreateCounter<long>(
            "cleancognito.appsync.errors", "{error}", "AppSync errors by type: the GraphQL errorType, or http_<status>, transport, unreadable.");
        _uploadedBytes = meter.CreateCounter<long>(
            "cleancognito.files.uploaded", "By", "Bytes of files stored in S3 by uploads that succeeded.");
        _upstreamCalls = meter.CreateCounter<long>(
            "cleancognito.upstream.calls", "{call}", "Calls to each upstream (appsync, cognito-idp, cognito-identity, s3, dynamodb, redis), by operation and outcome.");
    }

    public void CredentialLookup(bool hit) =>
        _credentialLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    /// <summary>
    /// One call to an upstream, as every adapter records it (Infrastructure's <c>UpstreamCall</c>). Also
    /// feeds the older per-upstream counters, kept under their names for the dashboards that read them:
    /// <c>cleancognito.identity_pool.calls</c> and <c>cleancognito.session.refreshes</c>.
    /// </summary>
    /// <param name="upstream">One of <see cref="Upstreams"/> or an AWS service's short name (<c>s3</c>, <c>dynamodb</c>).</param>
    /// <param name="operation">The operation: a bounded set chosen by the app.</param>
    /// <param name="outcome">One of <see cref="Outcomes"/>.</param>
    public void UpstreamCall(string upstream, string operation, string outcome)
    {
        _upstreamCalls.Add(
            1,
            new KeyValuePair<string, object?>("upstream", upstream),
            new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("outcome", outcome));
        if (upstream == Upstreams.IdentityPool)
        {
            _exchanges.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("outcome", outcome));
        }
        else if (upstream == Upstreams.UserPool && operation == Upstreams.Refresh)
        {
            _refreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    /// <param name="errorType">The GraphQL <c>errorType</c> as AppSync sent it, or the transport class (<c>http_503</c>, <c>transport</c>, <c>unreadable</c>).</param>
    /// <param name="operation">The GraphQL operation name (the app's own, a bounded set).</param>
    public void AppSyncError(string? errorType, string? operation) =>
        _appSyncErrors.Add(
            1,
            new KeyValuePair<string, object?>("error.type", Bounded(errorType ?? "unknown")),
            new KeyValuePair<string, object?>("graphql.operation.name", operation ?? "unnamed"));

    public void Uploaded(long bytes) => _uploadedBytes.Add(bytes);

    private static string Bounded(string value) => value.Length <= MaxTagLength ? value : value[..MaxTagLength];

    /// <summary>The names of the upstreams whose calls also feed an older counter of their own.</summary>
    public static class Upstreams
    {
        public const string AppSync = "appsync";

        /// <summary>The user pool's token endpoint (span names "cognito-idp {grant}").</summary>
        public const string UserPool = "cognito-idp";

        public const string IdentityPool = "cognito-identity";

        /// <summary>The shared store: counted where every command reports (Infrastructure's <c>RedisOutage</c>).</summary>
        public const string Redis = "redis";

        /// <summary>The user pool operation counted in <c>cleancognito.session.refreshes</c>.</summary>
        public const string Refresh = "refresh";
    }

    /// <summary>The outcomes of an upstream call, the same for every upstream.</summary>
    public static class Outcomes
    {
        /// <summary>The upstream answered what was asked.</summary>
        public const string Success = "success";

        /// <summary>The upstream refused the user's token (sign in again).</summary>
        public const string Refused = "refused";

        /// <summary>The upstream's policy does not allow this call (AccessDenied: the 403 page).</summary>
        public const string Denied = "denied";

        /// <summary>No usable answer: timeout, 5xx, throttling past the retries, unreadable.</summary>
        public const string Unavailable = "unavailable";

        /// <summary>The caller gave up (request aborted).</summary>
        public const string Cancelled = "cancelled";

        /// <summary>Anything else (a bug): look for the exception in the logs.</summary>
        public const string Error = "error";

        /// <summary>The outcome an exception of an upstream call stands for.</summary>
        public static string Of(Exception exception) => exception switch
        {
            SignInRequiredException => Refused,
            ForbiddenAccessException => Denied,
            UpstreamUnavailableException => Unavailable,
            OperationCanceledException => Cancelled,
            _ => Error,
        };
    }
}
