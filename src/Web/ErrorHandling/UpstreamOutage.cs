using System.Globalization;
using System.Net.Sockets;
using CleanCognito.Application.Common.Exceptions;

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
        LogUnavailable(logger, service ?? "unknown", KindOf(cause), ReasonOf(cause, service ?? "The upstream"), http.TraceIdentifier);

    public static void SetRetryAfter(HttpResponse response) =>
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// What went wrong in a word or two, from the innermost cause (the wrappers, Refit's and ours, say
    /// less): "timeout", the socket error ("ConnectionRefused"), "error status" when the upstream
    /// answered with one, else the cause's type.
    /// </summary>
    internal static string KindOf(Exception? cause)
    {
        if (cause is null)
        {
            return "no answer";
        }

        var innermost = cause;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return innermost switch
        {
            SocketException socket => socket.SocketErrorCode.ToString(),
            TimeoutException or OperationCanceledException => "timeout",
            // Polly's TimeoutRejectedException: named, so the Web layer needs no Polly reference.
            _ when innermost.GetType().Name == "TimeoutRejectedException" => "timeout",
            UpstreamUnavailableException => "error status",
            _ => innermost.GetType().Name,
        };
    }

    /// <summary>Our own description ("AppSync answered HTTP 503."); never an upstream's text, which may carry anything.</summary>
    private static string ReasonOf(Exception? cause, string service) =>
        cause is UpstreamUnavailableException { Message: var message } ? message : $"{service} did not answer.";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Service} unavailable ({Kind}): {Reason} Correlation id {CorrelationId}")]
    private static partial void LogUnavailable(ILogger logger, string service, string kind, string reason, string correlationId);
}
