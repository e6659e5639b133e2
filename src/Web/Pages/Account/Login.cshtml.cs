using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Web.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CleanCognito.Web.Pages.Account;

/// <summary>Starts the hosted UI sign-in. Only local return URLs are honoured; anything else returns home.</summary>
[AllowAnonymous]
public sealed class LoginModel(IOptionsMonitor<OpenIdConnectOptions> oidcOptions, HostedUiProbe hostedUi) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        var target = Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
        if (User.Identity?.IsAuthenticated == true)
        {
            return LocalRedirect(target);
        }

        await EnsureUserPoolReachableAsync(cancellationToken);

        // The discovery document may be cached while the hosted UI is down: check where the browser goes.
        await hostedUi.EnsureReachableAsync(cancellationToken);
        return Challenge(new AuthenticationProperties { RedirectUri = target }, AuthenticationSetup.HostedUiScheme);
    }

    /// <summary>
    /// The OIDC handler reads the pool's discovery document while it builds the redirect, after this
    /// handler has returned; when the pool is unreachable it throws an InvalidOperationException and
    /// the user sees a 500. Reading it here (the configuration manager caches it) turns an outage into
    /// the 503 page with Retry-After.
    /// </summary>
    private async Task EnsureUserPoolReachableAsync(CancellationToken cancellationToken)
    {
        if (oidcOptions.Get(AuthenticationSetup.HostedUiScheme).ConfigurationManager is not { } configuration)
        {
            return;
        }

        try
        {
            await configuration.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw new UpstreamUnavailableException("Cognito", "The sign-in page could not be reached.", ex);
        }
    }
}
