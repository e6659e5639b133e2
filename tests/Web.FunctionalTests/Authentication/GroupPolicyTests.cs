using System.Security.Claims;
using CleanCognito.Web.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary><see cref="Policies.AnyOf"/> / <see cref="Policies.AllOf"/> on <c>cognito:groups</c>, through the real authorization service.</summary>
public sealed class GroupPolicyTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddAuthorization().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Theory]
    [InlineData(new[] { "editors" }, true)]
    [InlineData(new[] { "readers", "editors" }, true)]
    [InlineData(new[] { "admins" }, true)]
    [InlineData(new[] { "readers" }, false)]
    [InlineData(new[] { "Editors" }, false)]
    [InlineData(new string[0], false)]
    public async Task Any_of_needs_at_least_one_listed_group(string[] userGroups, bool allowed) =>
        (await Authorize(User(userGroups), Policies.AnyOf("editors", "admins"))).Should().Be(allowed);

    [Theory]
    [InlineData(new[] { "editors", "admins" }, true)]
    [InlineData(new[] { "admins", "readers", "editors" }, true)]
    [InlineData(new[] { "editors" }, false)]
    [InlineData(new[] { "admins" }, false)]
    [InlineData(new string[0], false)]
    public async Task All_of_needs_every_listed_group(string[] userGroups, bool allowed) =>
        (await Authorize(User(userGroups), Policies.AllOf("editors", "admins"))).Should().Be(allowed);

    [Fact]
    public async Task A_group_claim_does_not_help_a_user_who_is_not_signed_in()
    {
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity([new Claim(CognitoGroupsRequirement.GroupsClaim, "editors")]));

        (await Authorize(anonymous, Policies.AnyOf("editors"))).Should().BeFalse();
    }

    [Fact]
    public async Task A_group_in_another_claim_type_does_not_count()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("groups", "editors"), new Claim(ClaimTypes.Role, "editors")], "Cognito"));

        (await Authorize(user, Policies.AnyOf("editors"))).Should().BeFalse();
    }

    private static ClaimsPrincipal User(string[] groups) =>
        new(new ClaimsIdentity(groups.Select(g => new Claim(CognitoGroupsRequirement.GroupsClaim, g)).Append(new Claim("sub", "u-1")), "Cognito"));

    private async Task<bool> Authorize(ClaimsPrincipal user, AuthorizationPolicy policy) =>
        (await _services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, null, policy)).Succeeded;
}
