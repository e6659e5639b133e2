using CleanCognito.Web.ErrorHandling;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Errors;

/// <summary>
/// Renders every error status. Reached by re-execution (status-code pages and the exception
/// handler), so it must answer any method: no antiforgery check, no authorization.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class IndexModel : PageModel
{
    public int Code { get; private set; }

    public string Title { get; private set; } = string.Empty;

    public string Advice { get; private set; } = string.Empty;

    public string CorrelationId => HttpContext.TraceIdentifier;

    /// <summary>
    /// The layout leaves out its forms (sign-out) when set: a form needs an antiforgery token, which
    /// needs the Data Protection key ring, and with Redis down that is what failed in the first place.
    /// </summary>
    public const string NoFormsKey = "NoForms";

    public void OnGet(int? statusCode) => Describe(statusCode);

    public void OnPost(int? statusCode) => Describe(statusCode);

    private void Describe(int? statusCode)
    {
        // The exception handler sets the status before re-executing here without a code in the path.
        Code = statusCode is >= 400 and <= 599 ? statusCode.Value : Response.StatusCode >= 400 ? Response.StatusCode : 500;
        Response.StatusCode = Code;
        if (HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error is { } error && ApplicationErrors.IsSharedStoreOutage(error))
        {
            ViewData[NoFormsKey] = true;
        }

        (Title, Advice) = Code switch
        {
            400 => ("That request was not valid", "Check what you entered and try again."),
            401 => ("Please sign in", "Your session has ended. Sign in again to continue."),
            403 => ("Access denied", "You are signed in, but your account is not allowed to see or do this. Ask an administrator to add you to the right group."),
            404 => ("Not found", "There is nothing here. The link may be wrong, or the item was removed."),
            405 => ("Not allowed", "This page cannot be used that way."),
            413 => ("Too large", "What you sent is larger than this app accepts. If it was a file, choose a smaller one and upload it again."),
            429 => ("Too many requests", "Please wait a moment, then try again."),
            502 => ("The service could not complete this", "A service this page relies on refused the request. Please try again later."),
            503 => ("Temporarily unavailable", "A service this page needs is not answering right now. Wait a minute and reload the page; your data is safe."),
            _ => ("Something went wrong", "The error has been logged. If it keeps happening, contact support and quote the reference below."),
        };
    }
}
