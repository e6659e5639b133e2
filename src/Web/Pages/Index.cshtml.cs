using CleanCognito.Application.Overview.GetOverview;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages;

/// <summary>Signed out: what the app is. Signed in: what the user has (objects, files, groups) and where to go.</summary>
[AllowAnonymous]
public sealed class IndexModel(ISender sender) : PageModel
{
    /// <summary>Null when signed out.</summary>
    public Overview? Overview { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            Overview = await sender.Send(new GetOverviewQuery(), cancellationToken);
        }
    }
}
