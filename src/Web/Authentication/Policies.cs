using Microsoft.AspNetCore.Authorization;

namespace CleanCognito.Web.Authentication;

/// <summary>Authorization policies on the user's <c>cognito:groups</c>, usable as <c>[Authorize(Policy = …)]</c>.</summary>
public static class Policies
{
    /// <summary>Members of the <c>editors</c> group: may rename objects.</summary>
    public const string Editors = "Editors";

    /// <summary>The user must be in at least one of <paramref name="groups"/>.</summary>
    public static AuthorizationPolicy AnyOf(params string[] groups) =>
        new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new CognitoGroupsRequirement(groups, requireAll: false)).Build();

    /// <summary>The user must be in every one of <paramref name="groups"/>.</summary>
    public static AuthorizationPolicy AllOf(params string[] groups) =>
        new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new CognitoGroupsRequirement(groups, requireAll: true)).Build();

    internal static void AddCognitoGroupPolicies(this AuthorizationOptions options)
    {
        options.AddPolicy(Editors, AnyOf(Application.Common.Security.Groups.Editors));
    }
}

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
