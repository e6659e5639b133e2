using System.Security.Claims;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Web.Authentication;

/// <summary><see cref="ICurrentUser"/> from the validated ID token's claims.</summary>
internal sealed class HttpContextCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    private ClaimsPrincipal? User => accessor.HttpContext?.User;

    public bool IsSignedIn => User?.Identity?.IsAuthenticated == true;

    public string? UserId => IsSignedIn ? User!.FindFirst("sub")?.Value : null;

    public string? Username => IsSignedIn ? User!.FindFirst("cognito:username")?.Value ?? User.FindFirst("username")?.Value : null;

    public string? Email => IsSignedIn ? User!.FindFirst("email")?.Value : null;

    public IReadOnlyCollection<string> Groups =>
        IsSignedIn ? User!.FindAll(CognitoGroupsRequirement.GroupsClaim).Select(c => c.Value).ToList() : [];
}
