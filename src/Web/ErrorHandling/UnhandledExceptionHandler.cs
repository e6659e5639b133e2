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
                UpstreamOutage.Answer(httpContext, logger, upstream.Service, upstream);
                return false;
            case var outage when ApplicationErrors.IsSharedStoreOutage(outage):
                UpstreamOutage.Answer(httpContext, logger, ApplicationErrors.SharedStoreName(outage), outage);
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
}
