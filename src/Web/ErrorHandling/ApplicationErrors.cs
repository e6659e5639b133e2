using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Infrastructure.DataProtection;
using StackExchange.Redis;

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
            _ when IsSharedStoreOutage(exception) => StatusCodes.Status503ServiceUnavailable,
            _ => null,
        };

    /// <summary>
    /// True when Redis not answering is what threw, however deep it is wrapped: an instance that has
    /// not loaded the Data Protection key ring yet cannot write an antiforgery token or a sign-in
    /// state while Redis is down. That is an outage (503, retry later), not a bug (500). The caches
    /// and the denylist degrade to memory instead (decisions 0007, 0008), so this is the only way out.
    /// KMS not opening (or sealing) a key of the ring is the same outage for the same pages.
    /// </summary>
    public static bool IsSharedStoreOutage(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is RedisException or RedisTimeoutException or KeyRingUnavailableException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Which shared store the outage is in, for the one Warning line.</summary>
    public static string SharedStoreName(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is KeyRingUnavailableException)
            {
                return "KMS (Data Protection key ring)";
            }
        }

        return "Redis";
    }
}
