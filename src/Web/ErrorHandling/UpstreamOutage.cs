using System.Globalization;

namespace CleanCognito.Web.ErrorHandling;

/// <summary>
/// How the Web layer answers when an upstream (Cognito, AppSync, S3) does not answer: the 503 page
/// with <c>Retry-After</c>, and one Warning line naming the upstream and the cause's type. An outage
/// is expected, so the line never carries a stack trace (nor, therefore, a token or signed URL).
/// </summary>
internal static partial class UpstreamOutage
{
    /// <summary>How long a user should wait before trying an unavailable upstream again.</summary>
    public const int RetryAfterSeconds = 30;

    /// <summary>Logs the outage and sets <c>Retry-After</c>; the caller sets (or lets the pipeline set) the 503.</summary>
    public static void Answer(HttpContext http, ILogger logger, string? service, Exception? cause)
    {
        Log(http, logger, service, cause);
        SetRetryAfter(http.Response);
    }

    /// <summary>The one log line, for a caller that learns of the outage before it writes the answer.</summary>
    public static void Log(HttpContext http, ILogger logger, string? service, Exception? cause) =>
        LogUnavailable(logger, service ?? "unknown", CauseName(cause), http.TraceIdentifier);

    public static void SetRetryAfter(HttpResponse response) =>
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>The wrapped cause's type (a timeout, a refused connection) says more than the wrapper's.</summary>
    private static string CauseName(Exception? cause) =>
        cause is null ? "no answer" : (cause.InnerException ?? cause).GetType().Name;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Service} unavailable ({ExceptionType}); correlation id {CorrelationId}")]
    private static partial void LogUnavailable(ILogger logger, string service, string exceptionType, string correlationId);
}
