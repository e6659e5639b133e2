using System.Text.RegularExpressions;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Objects.GetMyObject;
using CleanCognito.Application.Objects.ListMyObjects;
using CleanCognito.Application.Objects.UpdateMyObjectName;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.AppSync;

/// <summary>
/// Rename must not depend on a schema directive's semantics (issue 21: on a single-mode user-pool
/// API the group directives are reported to behave unlike the simulator). A copy of deploy/ whose
/// updateMyObject has no directive at all runs in a second stand-in stack: the resolver alone must
/// refuse bob (no group) on his own object and still let alice (editors) rename hers. The control
/// removes the resolver's check as well and sees bob rename, so the refusal above is the resolver's.
/// </summary>
public sealed partial class RenameWithoutDirectiveTests
{
    private const string SchemaFile = "appsync/schema.graphql";
    private const string ResolverFile = "appsync/resolvers/Mutation.updateMyObject.req.vtl";
    private const string AlicesObject = "1234567890abcdef";

    [Fact]
    public async Task Without_the_directive_the_resolver_refuses_bob_and_alice_still_renames()
    {
        using var checkout = EditedCheckout.Create(new Dictionary<string, Func<string, string>> { [SchemaFile] = StripUpdateDirective });
        UpdateDirective().IsMatch(checkout.ReadDeployFile(SchemaFile)).Should().BeFalse("the copy's updateMyObject must carry no directive");
        var stack = LocalAwsStack.With("node", "moto_server", checkout.Root);
        await stack.InitializeAsync();
        try
        {
            using var bob = await SignedInAsync(stack, stack.Bob);
            var bobsObject = (await new ListMyObjectsQueryHandler(bob.Gateway).Handle(new ListMyObjectsQuery(1), default)).Items.Single();

            var raw = await bob.Gateway.MutateAsync<object>(Rename(bobsObject.Id, "Renamed by bob"), default);
            var act = async () => await new UpdateMyObjectNameCommandHandler(bob.Gateway, new ClaimedEditor())
                .Handle(new UpdateMyObjectNameCommand(bobsObject.Id, "Renamed by bob"), default);

            raw.Errors.Should().ContainSingle().Which.ErrorType.Should().Be("Unauthorized", "$util.unauthorized() is AppSync's refusal");
            await act.Should().ThrowAsync<ForbiddenAccessException>();
            (await new GetMyObjectQueryHandler(bob.Gateway).Handle(new GetMyObjectQuery(bobsObject.Id), default)).Name.Should().Be(bobsObject.Name);

            using var alice = await SignedInAsync(stack, stack.Alice);
            var renamed = await new UpdateMyObjectNameCommandHandler(alice.Gateway, new ClaimedEditor())
                .Handle(new UpdateMyObjectNameCommand(AlicesObject, "Renamed by alice"), default);
            renamed.Name.Should().Be("Renamed by alice");
        }
        finally
        {
            await stack.DisposeAsync();
        }
    }

    // The control: without the directive and without the resolver's check nothing refuses bob, so
    // the test above fails as soon as the resolver stops checking the group.
    [Fact]
    public async Task Without_the_directive_and_the_resolvers_check_bob_renames_his_object()
    {
        using var checkout = EditedCheckout.Create(new Dictionary<string, Func<string, string>>
        {
            [SchemaFile] = StripUpdateDirective,
            [ResolverFile] = vtl => vtl.Replace("$util.unauthorized()", string.Empty, StringComparison.Ordinal),
        });
        var stack = LocalAwsStack.With("node", "moto_server", checkout.Root);
        await stack.InitializeAsync();
        try
        {
            using var bob = await SignedInAsync(stack, stack.Bob);
            var bobsObject = (await new ListMyObjectsQueryHandler(bob.Gateway).Handle(new ListMyObjectsQuery(1), default)).Items.Single();

            var renamed = await new UpdateMyObjectNameCommandHandler(bob.Gateway, new ClaimedEditor())
                .Handle(new UpdateMyObjectNameCommand(bobsObject.Id, "Renamed by bob"), default);

            renamed.Name.Should().Be("Renamed by bob");
        }
        finally
        {
            await stack.DisposeAsync();
        }
    }

    private static string StripUpdateDirective(string schema) => UpdateDirective().Replace(schema, "${field}");

    private static GraphQlOperation Rename(string id, string name) =>
        new("mutation UpdateMyObject($id: ID!, $name: String!) { updateMyObject(id: $id, name: $name) { id name } }", "UpdateMyObject", new Dictionary<string, object?> { ["id"] = id, ["name"] = name });

    private static async Task<AppSyncGateway> SignedInAsync(LocalAwsStack stack, LocalUser user)
    {
        using var hostedUi = HostedUiClient.For(stack);
        var tokens = await hostedUi.SignInAsync(user.Username, user.Password);
        return new AppSyncGateway(stack.AppSync, new FakeUserTokens(tokens.AccessToken), AppSyncGateway.Defaults);
    }

    /// <summary>The app fooled into believing the caller is an editor: only AppSync decides.</summary>
    private sealed class ClaimedEditor : ICurrentUser
    {
        public bool IsSignedIn => true;

        public string? UserId => "claimed";

        public string? Username => "claimed";

        public string? Email => null;

        public IReadOnlyCollection<string> Groups => ["editors"];
    }

    /// <summary>updateMyObject's definition followed by one or more AppSync auth directives (with their arguments).</summary>
    [GeneratedRegex(@"(?<field>updateMyObject\([^)]*\)\s*:\s*MyObject)(\s*@aws_\w+(\([^)]*\))?)+")]
    private static partial Regex UpdateDirective();
}
