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

    /// <summary>The links the page offers, most useful first; the home page is always last.</summary>
    public IReadOnlyList<NextStep> NextSteps { get; private set; } = [];

    /// <summary>When the upstream asked to be tried again (the 503's <c>Retry-After</c>), in seconds.</summary>
    public int? RetryAfterSeconds { get; private set; }

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
        RetryAfterSeconds = int.TryParse(Response.Headers.RetryAfter, out var seconds) ? seconds : null;
        NextSteps = StepsFor(Code, OriginalUrl());
    }

    /// <summary>
    /// Useful next steps per error: sign in again (401), try the page again (5xx, 429), go back
    /// (a page of this app the browser came from), the list the failing page belongs to, home.
    /// </summary>
    private List<NextStep> StepsFor(int code, string? original)
    {
        var steps = new List<NextStep>();
        if (code == StatusCodes.Status401Unauthorized)
        {
            var returnUrl = original ?? "/";
            steps.Add(new("Sign in again", $"/Account/Login?returnUrl={Uri.EscapeDataString(returnUrl)}", "next-sign-in"));
        }
        else if (original is not null && code is >= 500 or StatusCodes.Status429TooManyRequests)
        {
            var when = RetryAfterSeconds is { } wait ? $" in {wait} seconds" : string.Empty;
            steps.Add(new($"Try this page again{when}", original, "next-retry"));
        }

        if (PreviousPage() is { } previous && previous != original && previous != "/")
        {
            steps.Add(new("Back to the previous page", previous, "next-back"));
        }

        if (ListPageOf(original) is { } list && !string.Equals(list.Href, original, StringComparison.OrdinalIgnoreCase) && steps.All(s => s.Href != list.Href))
        {
            steps.Add(list);
        }

        steps.Add(new("Back to the home page", "/", "next-home"));
        return steps;
    }

    private static NextStep? ListPageOf(string? path) => path switch
    {
        not null when path.StartsWith("/Objects", StringComparison.OrdinalIgnoreCase) => new("Your objects", "/Objects", "next-list"),
        not null when path.StartsWith("/Files", StringComparison.OrdinalIgnoreCase) => new("Your files", "/Files", "next-list"),
        _ => null,
    };

    /// <summary>
    /// The address that failed (re-executed here from it), if it is a local URL. A form's query
    /// (<c>?handler=Upload</c>) is left out: the link is a GET of the page, not the form sent again.
    /// </summary>
    private string? OriginalUrl()
    {
        var withQuery = HttpMethods.IsGet(Request.Method) || HttpMethods.IsHead(Request.Method);
        var url = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is { } reExecuted
            ? $"{reExecuted.OriginalPathBase}{reExecuted.OriginalPath}{(withQuery ? reExecuted.OriginalQueryString : null)}"
            : HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path;
        return url is not null && Url.IsLocalUrl(url) && !url.StartsWith("/Errors", StringComparison.OrdinalIgnoreCase) ? url : null;
    }

    /// <summary>The page of this app the browser came from (<c>Referer</c>; same origin only).</summary>
    private string? PreviousPage()
    {
        if (!Uri.TryCreate(Request.Headers.Referer.ToString(), UriKind.Absolute, out var referer)
            || !string.Equals(referer.Authority, Request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var local = referer.PathAndQuery;
        return Url.IsLocalUrl(local) && !local.StartsWith("/Errors", StringComparison.OrdinalIgnoreCase) ? local : null;
    }
}
