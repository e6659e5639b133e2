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
            FileAlreadyExistsException => StatusCodes.Status409Conflict,
            FileTooLargeException => StatusCodes.Status413PayloadTooLarge,
            // Kestrel's own refusals (a body over MaxRequestBodySize is 413), also when the form reader wraps them.
            BadHttpRequestException bad => bad.StatusCode,
            { InnerException: BadHttpRequestException bad } => bad.StatusCode,
            GraphQlOperationException => StatusCodes.Status502BadGateway,
            UpstreamUnavailableException => StatusCodes.Status503ServiceUnavailable,
            _ => null,
        };
}
