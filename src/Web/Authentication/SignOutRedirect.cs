using CleanCognito.Infrastructure.Cognito;
using Microsoft.Extensions.Options;

namespace CleanCognito.Web.Authentication;

/// <summary>Builds the hosted UI's <c>/logout</c> URL, which ends the Cognito session and returns to the signed-out page.</summary>
public sealed class SignOutRedirect(IOptions<CognitoOptions> options)
{
    public string For(HttpRequest request)
    {
        var o = options.Value;
        var logoutUri = string.IsNullOrWhiteSpace(o.LogoutUrl)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}/Account/SignedOut"
            : o.LogoutUrl;
        return $"{o.DomainUri}logout?client_id={Uri.EscapeDataString(o.ClientId)}&logout_uri={Uri.EscapeDataString(logoutUri)}";
    }
}
