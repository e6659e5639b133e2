using System.Security.Claims;

namespace CleanCognito.Web.Authentication;

/// <summary>
/// A request whose session ended while it ran (a sign-out) is anonymous from then on. Without this
/// the error page of that request (the 503 when the hosted UI cannot end its session) still showed
/// "alice / Sign out": the status-code page re-executes the pipeline, and the authentication
/// middleware restores the principal its handler cached for the request.
/// </summary>
internal static class EndedSession
{
    /// <summary>Called by the cookie handler's sign-out, after the cookies are cleared.</summary>
    public static void Mark(HttpContext context)
    {
        context.Features.Set(new Ended());
        context.User = Anonymous();
    }

    /// <summary>After <c>UseAuthentication</c>: keeps an ended session anonymous through re-execution.</summary>
    public static IApplicationBuilder UseEndedSessionsAsAnonymous(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Features.Get<Ended>() is not null)
            {
                context.User = Anonymous();
            }

            return next(context);
        });

    private static ClaimsPrincipal Anonymous() => new(new ClaimsIdentity());

    private sealed record Ended;
}
