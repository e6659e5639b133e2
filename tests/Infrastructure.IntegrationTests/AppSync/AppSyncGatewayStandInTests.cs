using System.Net.Http.Json;
using System.Text.Json;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Objects.CreateMyObject;
using CleanCognito.Application.Objects.DeleteMyObject;
using CleanCognito.Application.Objects.GetMyObject;
using CleanCognito.Application.Objects.ListMyObjects;
using CleanCognito.Application.Objects.UpdateMyObjectName;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.AppSync;

/// <summary>
/// The use cases through the real adapter against the AppSync stand-in (the deployed schema and VTL
/// resolvers over DynamoDB, user-pool auth with real tokens from the local hosted UI): what the stub
/// cannot prove. Seed: alice owns 1234567890abcdef and 24 more, bob owns 3.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class AppSyncGatewayStandInTests(LocalAwsStack stack) : IAsyncLifetime
{
    private const string SeededId = "1234567890abcdef";
    private const string ListDocument = "query ListMyObjects($limit: Int, $nextToken: String) { listMyObjects(limit: $limit, nextToken: $nextToken) { nextToken } }";

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
    public async Task Pages_follow_the_next_token_through_every_one_of_alices_objects_once()
    {
        using var app = await SignedIn(stack.Alice);

        var (ids, pages) = await ListAllAsync(app, pageSize: 10);

        pages.Should().Be(3, "alice owns 25 objects");
        ids.Should().HaveCount(25).And.OnlyHaveUniqueItems().And.StartWith(SeededId);
        (await ListAllAsync(app, pageSize: 7)).Ids.Should().Equal(ids, "another page size walks the same objects in the same order");
    }

    [Fact]
    public async Task A_made_up_token_comes_back_in_errors_and_becomes_a_validation_error()
    {
        using var app = await SignedIn(stack.Bob);
        var operation = new GraphQlOperation(
            ListDocument,
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
    public async Task An_expired_access_token_is_refused_with_401_renewed_once_and_the_query_resent()
    {
        var expired = await MintAccessTokenAsync(expiresInSeconds: -60);
        var tokens = new FakeUserTokens(expired) { RefreshedToken = await MintAccessTokenAsync(expiresInSeconds: 3600) };
        using var app = new AppSyncGateway(stack.AppSync, tokens);

        var read = await new GetMyObjectQueryHandler(app.Gateway).Handle(new GetMyObjectQuery(SeededId), default);

        read.Name.Should().Be("My first object");
        tokens.Refreshes.Should().Be(1);
    }

    [Fact]
    public async Task A_mutation_refused_with_401_is_renewed_and_applied_once()
    {
        var tokens = new FakeUserTokens(await MintAccessTokenAsync(expiresInSeconds: -60)) { RefreshedToken = await MintAccessTokenAsync(expiresInSeconds: 3600) };
        using var app = new AppSyncGateway(stack.AppSync, tokens);

        await new UpdateMyObjectNameCommandHandler(app.Gateway, new ClaimedUser("editors")).Handle(new UpdateMyObjectNameCommand(SeededId, "Renamed after a 401"), default);

        tokens.Refreshes.Should().Be(1);
        var read = await new GetMyObjectQueryHandler(app.Gateway).Handle(new GetMyObjectQuery(SeededId), default);
        read.Name.Should().Be("Renamed after a 401", "AppSync's 401 comes before any resolver runs: the resend is the only execution");
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
        await AliceStillHasTheSeededObjectAsync();
    }

    [Fact]
    public async Task Bob_cannot_read_alices_object_it_is_not_found_like_a_missing_one()
    {
        using var bob = await SignedIn(stack.Bob);

        var act = async () => await new GetMyObjectQueryHandler(bob.Gateway).Handle(new GetMyObjectQuery(SeededId), default);

        await act.Should().ThrowAsync<NotFoundException>();
    }

    [Fact]
    public async Task Bob_lists_only_his_own_three_objects()
    {
        using var bob = await SignedIn(stack.Bob);
        using var alice = await SignedIn(stack.Alice);

        var (bobs, _) = await ListAllAsync(bob, pageSize: 2);
        var (alices, _) = await ListAllAsync(alice, pageSize: 100);

        bobs.Should().HaveCount(3).And.OnlyHaveUniqueItems();
        bobs.Should().NotIntersectWith(alices);
    }

    [Fact]
    public async Task Bob_cannot_delete_alices_object()
    {
        using var bob = await SignedIn(stack.Bob);

        var act = async () => await new DeleteMyObjectCommandHandler(bob.Gateway).Handle(new DeleteMyObjectCommand(SeededId), default);

        await act.Should().ThrowAsync<NotFoundException>();
        await AliceStillHasTheSeededObjectAsync();
    }

    [Fact]
    public async Task An_editor_cannot_rename_another_users_object_the_resolver_checks_the_owner()
    {
        using var bob = await SignedIn(stack.Bob);
        using var alice = await SignedIn(stack.Alice);
        var bobsObject = (await new ListMyObjectsQueryHandler(bob.Gateway).Handle(new ListMyObjectsQuery(1), default)).Items.Single();

        var act = async () => await new UpdateMyObjectNameCommandHandler(alice.Gateway, new ClaimedUser("editors"))
            .Handle(new UpdateMyObjectNameCommand(bobsObject.Id, "Renamed by alice"), default);

        await act.Should().ThrowAsync<NotFoundException>();
        (await new GetMyObjectQueryHandler(bob.Gateway).Handle(new GetMyObjectQuery(bobsObject.Id), default)).Name.Should().Be(bobsObject.Name);
    }

    [Fact]
    public async Task Bob_creates_an_object_that_only_he_sees_and_deletes_it()
    {
        using var bob = await SignedIn(stack.Bob);
        using var alice = await SignedIn(stack.Alice);

        var created = await new CreateMyObjectCommandHandler(bob.Gateway).Handle(new CreateMyObjectCommand("Bob's new object"), default);

        created.Name.Should().Be("Bob's new object");
        created.Date.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        (await ListAllAsync(bob, pageSize: 100)).Ids.Should().Contain(created.Id).And.HaveCount(4);
        var aliceReads = async () => await new GetMyObjectQueryHandler(alice.Gateway).Handle(new GetMyObjectQuery(created.Id), default);
        await aliceReads.Should().ThrowAsync<NotFoundException>();
        var aliceDeletes = async () => await new DeleteMyObjectCommandHandler(alice.Gateway).Handle(new DeleteMyObjectCommand(created.Id), default);
        await aliceDeletes.Should().ThrowAsync<NotFoundException>();

        var deleted = await new DeleteMyObjectCommandHandler(bob.Gateway).Handle(new DeleteMyObjectCommand(created.Id), default);

        deleted.Id.Should().Be(created.Id);
        var gone = async () => await new GetMyObjectQueryHandler(bob.Gateway).Handle(new GetMyObjectQuery(created.Id), default);
        await gone.Should().ThrowAsync<NotFoundException>();
    }

    [Fact]
    public async Task An_edited_next_token_is_refused_and_becomes_this_page_link_is_no_longer_valid()
    {
        using var alice = await SignedIn(stack.Alice);
        var handler = new ListMyObjectsQueryHandler(alice.Gateway);
        var token = (await handler.Handle(new ListMyObjectsQuery(10), default)).NextToken!;

        // One character of the token changed, as a user editing the page link would.
        var edited = string.Concat(token.AsSpan(0, 12), token[12] == 'A' ? "B" : "A", token.AsSpan(13));
        var act = async () => await handler.Handle(new ListMyObjectsQuery(10, edited), default);

        (await act.Should().ThrowAsync<ValidationException>())
            .Which.Errors[nameof(ListMyObjectsQuery.NextToken)].Should().ContainSingle().Which.Should().Contain("no longer valid");
    }

    [Fact]
    public async Task Alices_next_token_does_not_continue_bobs_list()
    {
        using var alice = await SignedIn(stack.Alice);
        using var bob = await SignedIn(stack.Bob);
        var token = (await new ListMyObjectsQueryHandler(alice.Gateway).Handle(new ListMyObjectsQuery(10), default)).NextToken!;

        var act = async () => await new ListMyObjectsQueryHandler(bob.Gateway).Handle(new ListMyObjectsQuery(10, token), default);

        await act.Should().ThrowAsync<ValidationException>();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task The_resolver_refuses_a_limit_outside_1_to_100_itself(int limit)
    {
        using var alice = await SignedIn(stack.Alice);
        var operation = new GraphQlOperation(ListDocument, "ListMyObjects", new Dictionary<string, object?> { ["limit"] = limit });

        var raw = await alice.Gateway.QueryAsync<object>(operation, default);

        raw.Errors.Should().ContainSingle(e => e.ErrorType == "BadRequestException").Which.Message.Should().Contain("between 1 and 100");
    }

    private async Task AliceStillHasTheSeededObjectAsync()
    {
        using var alice = await SignedIn(stack.Alice);
        var read = await new GetMyObjectQueryHandler(alice.Gateway).Handle(new GetMyObjectQuery(SeededId), default);
        read.Name.Should().Be("My first object");
    }

    private static async Task<(List<string> Ids, int Pages)> ListAllAsync(AppSyncGateway app, int pageSize)
    {
        var handler = new ListMyObjectsQueryHandler(app.Gateway);
        var ids = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await handler.Handle(new ListMyObjectsQuery(pageSize, token), default);
            page.IsPartial.Should().BeFalse();
            page.Items.Count.Should().BeLessThanOrEqualTo(pageSize);
            if (page.NextToken is not null)
            {
                page.Items.Should().HaveCount(pageSize, "a Query on the owner index fills every page but the last");
            }

            ids.AddRange(page.Items.Select(i => i.Id));
            token = page.NextToken;
            pages++;
        }
        while (token is not null && pages < 50);

        return (ids, pages);
    }

    /// <summary>Alice's access token straight from the user pool stand-in (a negative lifetime: already expired, validly signed).</summary>
    private async Task<string> MintAccessTokenAsync(int expiresInSeconds)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.PostAsJsonAsync(new Uri($"{stack.Idp}/_local/tokens"), new Dictionary<string, object> { ["username"] = stack.Alice.Username, ["expires_in"] = expiresInSeconds });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("access_token").GetString()!;
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
