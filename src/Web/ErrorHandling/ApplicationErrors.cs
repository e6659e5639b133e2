using CleanCognito.Application.Common.Exceptions;

namespace CleanCognito.Web.ErrorHandling;

/// <summary>The one table from application errors to HTTP status codes (null: unexpected, 500).</summary>
internal static class ApplicationErrors
{
    public static int? StatusCodeFor(Exception exception) =>
        exception switch
        {
            ValidationException => StatusCodes.Status400BadRequest,
            SignInRequiredException => StatusCodes.Status401Unauthorized,
            ForbiddenAccessException => StatusCodes.Status403Forbidden,
            NotFoundException => StatusCodes.Status404NotFound,
            GraphQlOperationException => StatusCodes.Status502BadGateway,
            UpstreamUnavailableException => StatusCodes.Status503ServiceUnavailable,
            _ => null,
        };

    /// <summary>How long a user should wait before trying an unavailable upstream again.</summary>
    public const int RetryAfterSeconds = 30;
}
