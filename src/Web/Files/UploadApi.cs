using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Web.ErrorHandling;
using Microsoft.AspNetCore.Mvc;

namespace CleanCognito.Web.Files;

/// <summary>
/// How the direct-upload handlers of <c>/Files</c> answer <c>upload.js</c>: JSON, and errors as JSON
/// problems with the status of <see cref="ApplicationErrors"/> (400 with the messages, 403, 404, 409
/// with the name, 413, 503 with Retry-After), never a page the script would have to parse.
/// </summary>
internal static class UploadApi
{
    public const string ProblemContentType = "application/problem+json";

    public static async Task<IActionResult> AnswerAsync(HttpContext http, ILogger logger, Func<Task<object?>> handle)
    {
        try
        {
            var value = await handle();
            return value is null ? new NoContentResult() : new JsonResult(value);
        }
        catch (Exception ex) when (ApplicationErrors.StatusCodeFor(ex) is { } status)
        {
            if (ex is UpstreamUnavailableException upstream)
            {
                UpstreamOutage.Answer(http, logger, upstream.Service, upstream);
            }
            else if (ApplicationErrors.IsSharedStoreOutage(ex))
            {
                UpstreamOutage.Answer(http, logger, ApplicationErrors.SharedStoreName(ex), ex);
            }

            return Problem(status, ex);
        }
    }

    /// <summary>A request body that did not bind (not JSON, wrong shapes): 400, said plainly.</summary>
    public static IActionResult Unreadable() =>
        Problem(StatusCodes.Status400BadRequest, new ValidationException("The request was not understood: reload the page and try again."));

    private static JsonResult Problem(int status, Exception ex)
    {
        var body = new Dictionary<string, object?>
        {
            ["status"] = status,
            ["title"] = TitleFor(status, ex),
        };
        switch (ex)
        {
            case ValidationException validation:
                body["errors"] = validation.Errors;
                break;
            case FileAlreadyExistsException exists:
                body["name"] = exists.FileName;
                break;
            case FileTooLargeException tooLarge:
                body["maxBytes"] = tooLarge.MaxBytes;
                break;
            default:
                break;
        }

        return new JsonResult(body) { StatusCode = status, ContentType = ProblemContentType };
    }

    /// <summary>Our own messages only: an upstream's or an unexpected exception's text may carry anything.</summary>
    private static string TitleFor(int status, Exception ex) =>
        ex switch
        {
            ValidationException v when v.Errors.Count > 0 => string.Join(" ", v.Errors.Values.SelectMany(m => m).Distinct()),
            ValidationException or NotFoundException or FileAlreadyExistsException or FileTooLargeException => ex.Message,
            ForbiddenAccessException => "You are not allowed to do this.",
            SignInRequiredException => "Your session has ended: sign in again.",
            UpstreamUnavailableException upstream => $"The {upstream.Service} service is not available right now. Please try again in a moment.",
            _ when status == StatusCodes.Status503ServiceUnavailable => "The service is not available right now. Please try again in a moment.",
            _ => "The request could not be completed.",
        };
}
