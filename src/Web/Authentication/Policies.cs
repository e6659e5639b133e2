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
