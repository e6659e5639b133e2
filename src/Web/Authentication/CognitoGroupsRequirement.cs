using Microsoft.AspNetCore.Authorization;

namespace CleanCognito.Web.Authentication;

/// <summary>A requirement on <c>cognito:groups</c> that handles itself: all-of or any-of the listed groups.</summary>
public sealed class CognitoGroupsRequirement(IReadOnlyCollection<string> groups, bool requireAll)
    : AuthorizationHandler<CognitoGroupsRequirement>, IAuthorizationRequirement
{
    public const string GroupsClaim = "cognito:groups";

    public IReadOnlyCollection<string> Groups { get; } = groups;

    public bool RequireAll { get; } = requireAll;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CognitoGroupsRequirement requirement)
    {
        var userGroups = context.User.FindAll(GroupsClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var satisfied = requirement.RequireAll
            ? requirement.Groups.All(userGroups.Contains)
            : requirement.Groups.Any(userGroups.Contains);
        if (satisfied)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
