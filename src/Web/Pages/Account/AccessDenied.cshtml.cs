using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Account;

/// <summary>A direct link to the access-denied page; forbidden requests render the same message via the 403 error page.</summary>
public sealed class AccessDeniedModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
