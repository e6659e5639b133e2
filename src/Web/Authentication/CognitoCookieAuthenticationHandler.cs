using System.Security.Claims;
using System.Text.Encodings.Web;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Web.ErrorHandling;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CleanCognito.Web.Authentication;

/// <summary>
/// Authenticates every request from the Cognito token cookies (validated each time, refreshed
/// when expired). Challenges go to <c>/Account/Login</c> with the return URL; forbidden answers 403
/// (rendered as the access-denied page). Sign-in writes the cookies, sign-out clears them.
/// </summary>
internal sealed partial class CognitoCookieAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    SessionCookieValidator sessionValidator,
    TokenCookies cookies)
    : SignInAuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        CognitoSession? session;
        string? failure;
        try
        {
            (session, failure) = await sessionValidator.ReadAsync(Context);
        }
        catch (UpstreamUnavailableException ex)
        {
            // The user pool is down during a refresh. Do not throw: the result is cached for the
            // request, so the error page's re-execution would throw again and the user would get a
            // bare 500. The challenge answers 503 instead and the status-code page explains it.
            UpstreamOutage.Log(Context, Logger, ex.Service ?? "Cognito", ex);
            Context.Features.Set(new SessionOutage());
            return AuthenticateResult.Fail(ex);
        }

        if (session is null)
        {
            return failure is null ? AuthenticateResult.NoResult() : AuthenticateResult.Fail(failure);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(session.Principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Features.Get<SessionOutage>() is not null)
        {
            // The session may be fine; the user pool could not renew it. Signing in again would hit
            // the same outage, so say "try again later" (the 503 error page) and keep the cookies.
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            UpstreamOutage.SetRetryAfter(Response);
            return Task.CompletedTask;
        }

        if (!IsPageNavigation(Request))
        {
            // A script's request (the upload's XMLHttpRequest) cannot follow a redirect to the
            // hosted UI; 401 lets it tell the user to sign in again.
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        var returnUrl = properties.RedirectUri ?? $"{Request.PathBase}{Request.Path}{Request.QueryString}";
        Response.Redirect($"{Request.PathBase}/Account/Login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    protected override async Task HandleSignInAsync(ClaimsPrincipal user, AuthenticationProperties? properties)
    {
        var accessToken = properties?.GetTokenValue("access_token");
        var idToken = properties?.GetTokenValue("id_token");
        if (accessToken is null || idToken is null
            || await sessionValidator.StartAsync(Context, accessToken, idToken, properties?.GetTokenValue("refresh_token")) is null)
        {
            throw new InvalidOperationException("Sign-in tokens did not validate (they were checked in OnTokenValidated first).");
        }
    }

    protected override Task HandleSignOutAsync(AuthenticationProperties? properties)
    {
        // The session itself was denylisted by SignOutCommand (on every instance, including any
        // refresh result shared shortly before): here only this browser's cookies go.
        RequestSession.Of(Context, cookies).End(Context);
        EndedSession.Mark(Context);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A browser's navigation (or a client that says nothing about itself), as opposed to a script's
    /// request: browsers send <c>Sec-Fetch-Mode</c>, and scripts that predate it send
    /// <c>X-Requested-With</c>.
    /// </summary>
    private static bool IsPageNavigation(HttpRequest request)
    {
        if (request.Headers.XRequestedWith.Count > 0)
        {
            return false;
        }

        var mode = request.Headers["Sec-Fetch-Mode"].ToString();
        return mode.Length == 0 || mode.Equals("navigate", StringComparison.OrdinalIgnoreCase) || mode.Equals("nested-navigate", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Marks a request whose session could not be refreshed because the user pool was unavailable.</summary>
    private sealed record SessionOutage;
}
