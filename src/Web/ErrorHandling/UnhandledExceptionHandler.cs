using CleanCognito.Application.Common.Exceptions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;

namespace CleanCognito.Web.ErrorHandling;

/// <summary>
/// Last stop for exceptions outside page handlers (middleware, authentication). The status comes
/// from <see cref="ApplicationErrors"/>; the exception handler middleware then renders the error page.
/// The exception is logged here with the correlation id that the page shows, never shown to the user.
/// </summary>
internal sealed partial class UnhandledExceptionHandler(ILogger<UnhandledExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case SignInRequiredException:
                await httpContext.ChallengeAsync();
                return true;
            case UpstreamUnavailableException upstream:
                LogUpstreamUnavailable(logger, upstream.Service ?? "unknown", (upstream.InnerException ?? upstream).GetType().Name, httpContext.TraceIdentifier);
                httpContext.Response.Headers.RetryAfter = ApplicationErrors.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return false;
            default:
                if (ApplicationErrors.StatusCodeFor(exception) is null)
                {
                    LogUnhandled(logger, exception, httpContext.TraceIdentifier);
                }

                return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception; correlation id {CorrelationId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string correlationId);

    /// <summary>An expected outage (the 503 page): one line with the cause's type, no stack trace.</summary>
    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Service} unavailable ({ExceptionType}); correlation id {CorrelationId}")]
    private static partial void LogUpstreamUnavailable(ILogger logger, string service, string exceptionType, string correlationId);
}
