namespace CleanCognito.Web.Middleware;

/// <summary>
/// An address no page answers is the 404 page for everyone. Without this, the authorization
/// fallback policy (every page needs a signed-in user unless it says otherwise) also applied to
/// requests with no endpoint, so a signed-out visitor of a mistyped URL was sent to sign in first
/// and then shown the 404. A known page that needs a user still challenges.
/// </summary>
internal static class UnknownPaths
{
    /// <summary>Between <c>UseRouting</c> (which finds the endpoint) and <c>UseAuthorization</c>.</summary>
    public static IApplicationBuilder UseNotFoundForUnknownPaths(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.GetEndpoint() is null)
            {
                // The status-code page renders the 404 page (it has an endpoint, so it passes here).
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
}
