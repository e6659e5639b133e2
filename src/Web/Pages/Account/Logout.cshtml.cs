using CleanCognito.Application.Account.SignOut;
using CleanCognito.Web.Authentication;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Account;

/// <summary>
/// Signing out is a POST (with antiforgery): revoke the refresh token, clear the cookies, then end
/// the hosted UI session too, which returns to the signed-out page.
/// </summary>
[AllowAnonymous]
public sealed class LogoutModel(ISender sender, SignOutRedirect signOutRedirect, HostedUiProbe hostedUi, ILogger<LogoutModel> logger) : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Page() : RedirectToPage("/Account/SignedOut");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            await sender.Send(new SignOutCommand(), cancellationToken);
        }

        await HttpContext.SignOutAsync(AuthenticationSetup.CookieScheme);
        if (!await hostedUi.IsReachableAsync(cancellationToken))
        {
            // Signed out of this app (the cookies are cleared), but the hosted UI session cannot be
            // ended now: the 503 page says to try later, where the redirect would show the browser's
            // "can't be reached" page. Not thrown: the exception handler would drop the cleared cookies.
            ErrorHandling.UpstreamOutage.Answer(HttpContext, logger, "Cognito", cause: null);
            return StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        return Redirect(signOutRedirect.For(Request));
    }
}
