using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Account;

[AllowAnonymous]
public sealed class SignedOutModel : PageModel
{
    public void OnGet()
    {
    }
}
