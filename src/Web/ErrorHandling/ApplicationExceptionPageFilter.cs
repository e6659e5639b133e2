using CleanCognito.Application.Common.Exceptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.ErrorHandling;

/// <summary>
/// Turns application errors thrown by a page handler into the right page, so page models need no
/// try/catch: validation, upload and operation errors re-render the same page with the messages
/// (400, 409 name clash, 413 file too large, 404 for a form naming something absent, 502);
/// not signed in → sign-in; forbidden → 403 page; not found (GET) → 404 page; upstream down → 503 page.
/// Anything else propagates to the exception handler (500 page with a correlation id).
/// </summary>
internal sealed partial class ApplicationExceptionPageFilter(ILogger<ApplicationExceptionPageFilter> logger) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is not { } exception || executed.ExceptionHandled)
        {
            return;
        }

        var result = ResultFor(exception, executed);
        if (result is not null)
        {
            executed.Result = result;
            executed.ExceptionHandled = true;
        }
    }

    /// <summary>
    /// The status comes from <see cref="ApplicationErrors"/> (the one table); this only decides how
    /// each kind of error is shown: on the same page beside its fields, on the same page as one
    /// message, or as the error page for its status.
    /// </summary>
    private IActionResult? ResultFor(Exception exception, PageHandlerExecutedContext context)
    {
        if (ApplicationErrors.StatusCodeFor(exception) is not { } status)
        {
            return null;
        }

        switch (exception)
        {
            case ValidationException validation:
                foreach (var (property, messages) in validation.Errors)
                {
                    var key = ModelStateKey(context, property);
                    foreach (var message in messages)
                    {
                        context.ModelState.AddModelError(key, message);
                    }
                }

                return new PageResult { StatusCode = status };

            // A form that named something that is not there (delete of a file not in the folder):
            // the same page, saying so, with 404 — never a success message.
            case FileTooLargeException or FileAlreadyExistsException:
            case NotFoundException when HttpMethods.IsPost(context.HttpContext.Request.Method):
                context.ModelState.AddModelError(string.Empty, exception.Message);
                return new PageResult { StatusCode = status };

            case GraphQlOperationException operation:
                // The GraphQL messages may carry resolver internals: log the types, show a generic message.
                LogOperationFailed(logger, operation.ErrorTypes);
                context.ModelState.AddModelError(string.Empty, "The service could not complete this request. Please try again; if it keeps failing, contact support.");
                return new PageResult { StatusCode = status };

            case SignInRequiredException:
                return new ChallengeResult();

            case ForbiddenAccessException:
                return new ForbidResult();

            case UpstreamUnavailableException upstream:
                UpstreamOutage.Answer(context.HttpContext, logger, upstream.Service, upstream);
                return new StatusCodeResult(status);

            default:
                // Not found, Kestrel's own refusals: the error page for the status.
                return new StatusCodeResult(status);
        }
    }

    /// <summary>
    /// Validation errors name the request's property ("Name"); the page binds it as a handler
    /// parameter ("name") or inside a bound model ("Input.Name"). Finds the key the page's
    /// validation tags use, so each message appears beside its field.
    /// </summary>
    private static string ModelStateKey(PageHandlerExecutedContext context, string property)
    {
        var parameter = context.HandlerMethod?.Parameters
            .FirstOrDefault(p => string.Equals(p.Name, property, StringComparison.OrdinalIgnoreCase));
        if (parameter is not null)
        {
            return parameter.Name;
        }

        foreach (var bound in context.ActionDescriptor.BoundProperties)
        {
            if (string.Equals(bound.Name, property, StringComparison.OrdinalIgnoreCase))
            {
                return bound.Name;
            }

            var nested = bound.ParameterType.GetProperty(property);
            if (nested is not null)
            {
                return $"{bound.Name}.{nested.Name}";
            }
        }

        return property;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GraphQL operation failed with error types {ErrorTypes}")]
    private static partial void LogOperationFailed(ILogger logger, string errorTypes);
}
