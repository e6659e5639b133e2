using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Objects.GetMyObject;
using CleanCognito.Application.Objects.ListMyObjects;
using CleanCognito.Application.Objects.UpdateMyObjectName;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.AppSync;

/// <summary>
/// The use cases through the real adapter against the AppSync stand-in (the deployed schema, user-pool
/// auth with real tokens from the local hosted UI): what the stub cannot prove.
/// </summary>
[Collection(LocalAwsStackGroup.Name)]
public sealed class AppSyncGatewayStandInTests(LocalAwsStack stack) : IAsyncLifetime
{
    private const string SeededId = "1234567890abcdef";

    public Task InitializeAsync() => stack.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Alice_reads_the_seeded_object_with_its_date()
    {
        using var app = await SignedIn(stack.Alice);

        var item = await new GetMyObjectQueryHandler(app.Gateway).Handle(new GetMyObjectQuery(SeededId), default);

        item.Name.Should().Be("My first object");
        item.Date.Should().Be(new DateTimeOffset(2026, 1, 15, 9, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task An_unknown_id_is_not_found()
    {
        using var app = await SignedIn(stack.Bob);

        var act = async () => await new GetMyObjectQueryHandler(app.Gateway).Handle(new GetMyObjectQuery("0000000000000000"), default);

        await act.Should().ThrowAsync<NotFoundException>();
    }

    [Fact]
    public async Task Pages_follow_the_next_token_through_every_object_once()
    {
        using var app = await SignedIn(stack.Bob);
        var handler = new ListMyObjectsQueryHandler(app.Gateway);
        var ids = new List<string>();
        string? token = null;
        var pages = 0;

        do
        {
            var page = await handler.Handle(new ListMyObjectsQuery(10, token), default);
            page.IsPartial.Should().BeFalse();
            page.Items.Count.Should().BeLessThanOrEqualTo(10);
            ids.AddRange(page.Items.Select(i => i.Id));
            token = page.NextToken;
            pages++;
        }
        while (token is not null && pages < 10);

        pages.Should().Be(3, "the stand-in seeds 25 objects");
        ids.Should().HaveCount(25).And.OnlyHaveUniqueItems().And.StartWith(SeededId);
    }

    [Fact]
    public async Task A_made_up_token_comes_back_in_errors_and_becomes_a_validation_error()
    {
        using var app = await SignedIn(stack.Bob);
        var operation = new GraphQlOperation(
            "query ListMyObjects($limit: Int, $nextToken: String) { listMyObjects(limit: $limit, nextToken: $nextToken) { nextToken } }",
            "ListMyObjects",
            new Dictionary<string, object?> { ["limit"] = 10, ["nextToken"] = "made-up" });

        var raw = await app.Gateway.QueryAsync<object>(operation, default);
        var act = async () => await new ListMyObjectsQueryHandler(app.Gateway).Handle(new ListMyObjectsQuery(10, "made-up"), default);

        raw.Errors.Should().Contain(e => e.ErrorType == "BadRequestException" && e.Path.Count > 0 && e.Path[0] == "listMyObjects");
        (await act.Should().ThrowAsync<ValidationException>()).Which.Errors.Should().ContainKey("NextToken");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("Bearer x.y.z")]
    public async Task A_missing_or_invalid_token_is_refused_with_401_and_the_user_must_sign_in(string accessToken)
    {
        var tokens = new FakeUserTokens(accessToken);
        using var app = new AppSyncGateway(stack.AppSync, tokens);

        var act = async () => await new GetMyObjectQueryHandler(app.Gateway).Handle(new GetMyObjectQuery(SeededId), default);

        await act.Should().ThrowAsync<SignInRequiredException>();
        tokens.Refreshes.Should().Be(1, "a 401 earns exactly one refresh");
    }

    [Fact]
    public async Task Alice_renames_an_object_and_reads_the_new_name_back()
    {
        using var app = await SignedIn(stack.Alice);

        var renamed = await new UpdateMyObjectNameCommandHandler(app.Gateway, new ClaimedUser("editors"))
            .Handle(new UpdateMyObjectNameCommand(SeededId, "Renamed by alice"), default);
        var read = await new GetMyObjectQueryHandler(app.Gateway).Handle(new GetMyObjectQuery(SeededId), default);

        renamed.Name.Should().Be("Renamed by alice");
        read.Name.Should().Be("Renamed by alice");
    }

    [Fact]
    public async Task AppSync_refuses_bobs_rename_even_when_the_app_is_fooled_into_thinking_he_is_an_editor()
    {
        using var app = await SignedIn(stack.Bob);

        var act = async () => await new UpdateMyObjectNameCommandHandler(app.Gateway, new ClaimedUser("editors"))
            .Handle(new UpdateMyObjectNameCommand(SeededId, "Renamed by bob"), default);

        await act.Should().ThrowAsync<ForbiddenAccessException>();
        var read = await new GetMyObjectQueryHandler(app.Gateway).Handle(new GetMyObjectQuery(SeededId), default);
        read.Name.Should().Be("My first object");
    }

    private async Task<AppSyncGateway> SignedIn(LocalUser user)
    {
        using var hostedUi = HostedUiClient.For(stack);
        var tokens = await hostedUi.SignInAsync(user.Username, user.Password);
        return new AppSyncGateway(stack.AppSync, new FakeUserTokens(tokens.AccessToken), AppSyncGateway.Defaults);
    }

    /// <summary>Whatever groups the app believes the user has; AppSync decides from the token alone.</summary>
    private sealed class ClaimedUser(params string[] groups) : ICurrentUser
    {
        public bool IsSignedIn => true;

        public string? UserId => "claimed";

        public string? Username => "claimed";

        public string? Email => null;

        public IReadOnlyCollection<string> Groups => groups;
    }
}
