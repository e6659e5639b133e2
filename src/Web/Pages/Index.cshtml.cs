using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Overview.GetOverview;
using CleanCognito.Web.ErrorHandling;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages;

/// <summary>Signed out: what the app is. Signed in: what the user has (objects, files, groups) and where to go.</summary>
[AllowAnonymous]
public sealed class IndexModel(ISender sender, ILogger<IndexModel> logger) : PageModel
{
    /// <summary>Null when signed out.</summary>
    public Overview? Overview { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            Overview = await sender.Send(new GetOverviewQuery(), cancellationToken);
            // The page answers 200 with the card marked unavailable; the failed call still gets its
            // one Warning line, as on a page that answers 503. A refusal (403) is logged where it is raised.
            foreach (var card in Overview.Unavailable.Where(card => card.Cause is not ForbiddenAccessException))
            {
                UpstreamOutage.Log(HttpContext, logger, card.Upstream, card.Cause);
            }
        }
    }
}
