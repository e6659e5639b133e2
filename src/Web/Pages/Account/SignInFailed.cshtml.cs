using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Account;

/// <summary>Where a failed or cancelled hosted UI round trip lands; the reason is in the logs only.</summary>
[AllowAnonymous]
public sealed class SignInFailedModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status400BadRequest;
}
