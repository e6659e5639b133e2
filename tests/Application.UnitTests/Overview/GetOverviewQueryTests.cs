using System.Diagnostics;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Overview.GetOverview;
using CleanCognito.Application.UnitTests.Fakes;
using CleanCognito.Application.UnitTests.Files;
using CleanCognito.Application.UnitTests.Notes;
using CleanCognito.Application.UnitTests.Objects;
using CleanCognito.Domain.Files;
using CleanCognito.Domain.Notes;

namespace CleanCognito.Application.UnitTests.Overview;

public sealed class GetOverviewQueryTests
{
    private const string TwoObjects = """
        {"listMyObjects":{"items":[
          {"id":"old","name":"Older","date":"2026-01-01T00:00:00Z"},
          {"id":"new","name":"Newer","date":"2026-03-01T00:00:00Z"}],"nextToken":null}}
        """;

    private readonly FakeFileStore _store = new();

    [Fact]
    public async Task It_counts_objects_and_files_sums_their_sizes_and_names_the_latest_of_each()
    {
        var folder = UserFolder.For(FakeCurrentIdentity.AliceIdentity);
        _store.Objects[folder.KeyFor("a.txt")] = new byte[100];
        _store.Objects[folder.KeyFor("b.txt")] = new byte[250];
        var gateway = FakeGraphQlGateway.AnsweringJson(TwoObjects);

        var overview = await Handle(gateway, FakeCurrentUser.Alice);

        overview.Username.Should().Be("alice");
        overview.Groups.Should().Equal("editors");
        overview.Objects.Should().BeEquivalentTo(new { Count = 2, HasMore = false });
        overview.Objects!.Latest!.Id.Should().Be("new");
        overview.Files.Should().BeEquivalentTo(new { Count = 2, TotalBytes = 350L, HasMore = false });
        overview.Files!.Latest.Should().NotBeNull();
    }

    [Fact]
    public async Task It_reads_one_page_of_each_and_says_when_there_are_more()
    {
        var gateway = FakeGraphQlGateway.AnsweringJson("""{"listMyObjects":{"items":[{"id":"a","name":"A","date":"2026-01-01T00:00:00Z"}],"nextToken":"more"}}""");
        var store = new PagedFileStore();

        var overview = await new GetOverviewQueryHandler(FakeCurrentUser.Bob, gateway, new FakeCurrentIdentity(), store, new FakeNoteStore())
            .Handle(new GetOverviewQuery(), CancellationToken.None);

        overview.Objects!.HasMore.Should().BeTrue();
        overview.Files!.HasMore.Should().BeTrue();
        overview.Unavailable.Should().BeEmpty();
        gateway.Queries.Should().ContainSingle().Which.Variables["limit"].Should().Be(GetOverviewQuery.ObjectSample);
        store.PageSizes.Should().Equal(GetOverviewQuery.FileSample);
    }

    [Fact]
    public async Task An_unavailable_AppSync_leaves_the_objects_out_but_not_the_files()
    {
        var gateway = new FakeGraphQlGateway(_ => throw new UpstreamUnavailableException("AppSync", "down"));

        var overview = await Handle(gateway, FakeCurrentUser.Bob);

        overview.Objects.Should().BeNull();
        overview.Files.Should().NotBeNull();
        overview.Username.Should().Be("bob");
    }

    [Fact]
    public async Task A_failing_resolver_leaves_the_objects_out()
    {
        var gateway = FakeGraphQlGateway.AnsweringJson(null, FakeGraphQlGateway.Error("DynamoDB:InternalError", "listMyObjects"));

        var overview = await Handle(gateway, FakeCurrentUser.Alice);

        overview.Objects.Should().BeNull();
        overview.Files.Should().NotBeNull();
    }

    [Fact]
    public async Task An_unavailable_file_store_leaves_the_files_out_but_not_the_objects()
    {
        var overview = await new GetOverviewQueryHandler(FakeCurrentUser.Alice, FakeGraphQlGateway.AnsweringJson(TwoObjects), new FakeCurrentIdentity(), new DownFileStore(), new FakeNoteStore())
            .Handle(new GetOverviewQuery(), CancellationToken.None);

        overview.Files.Should().BeNull();
        overview.Objects!.Count.Should().Be(2);
        overview.Unavailable.Should().ContainSingle().Which.Should().Match<UnavailableCard>(
            card => card.Upstream == "file storage" && card.Cause is UpstreamUnavailableException, "the page logs the failed call's one Warning from it");
    }

    [Fact]
    public async Task It_counts_the_notes_and_shows_the_newest()
    {
        var notes = new FakeNoteStore();
        var older = new Note(NoteId.New(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), 1), "older", new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var newer = new Note(NoteId.New(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero), 2), "newer", new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        await notes.AddAsync(older, CancellationToken.None);
        await notes.AddAsync(newer, CancellationToken.None);

        var overview = await new GetOverviewQueryHandler(FakeCurrentUser.Alice, FakeGraphQlGateway.AnsweringJson(TwoObjects), new FakeCurrentIdentity(), _store, notes)
            .Handle(new GetOverviewQuery(), CancellationToken.None);

        overview.Notes.Should().BeEquivalentTo(new { Count = 2, HasMore = false });
        overview.Notes!.Latest.Should().Be(newer);
        notes.Lists.Should().Equal((GetOverviewQuery.NoteSample, null));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_unavailable_or_refusing_note_table_leaves_the_notes_out_but_not_the_files(bool down)
    {
        var overview = await new GetOverviewQueryHandler(FakeCurrentUser.Alice, FakeGraphQlGateway.AnsweringJson(TwoObjects), new FakeCurrentIdentity(), _store, new FailingNoteStore(down))
            .Handle(new GetOverviewQuery(), CancellationToken.None);

        overview.Notes.Should().BeNull();
        overview.Files.Should().NotBeNull();
        overview.Objects.Should().NotBeNull();
    }

    [Fact]
    public async Task An_ended_session_is_not_hidden_as_an_unavailable_section()
    {
        var gateway = new FakeGraphQlGateway(_ => throw new SignInRequiredException());

        var act = async () => await Handle(gateway, FakeCurrentUser.Alice);

        await act.Should().ThrowAsync<SignInRequiredException>();
    }

    [Fact]
    public async Task A_stalled_file_store_leaves_the_files_out_within_the_card_budget_and_the_rest_still_shows()
    {
        var started = Stopwatch.StartNew();

        var overview = await new GetOverviewQueryHandler(FakeCurrentUser.Alice, FakeGraphQlGateway.AnsweringJson(TwoObjects), new FakeCurrentIdentity(), new StalledFileStore(), new FakeNoteStore())
            .Handle(new GetOverviewQuery(), CancellationToken.None);

        started.Elapsed.Should().BeLessThan(GetOverviewQuery.CardBudget + TimeSpan.FromSeconds(1), "a stalled card is given up after its budget, even when it ignores the cancellation");
        overview.Files.Should().BeNull();
        overview.Objects!.Count.Should().Be(2);
        overview.Notes.Should().NotBeNull();
        overview.Unavailable.Should().ContainSingle().Which.Should().Match<UnavailableCard>(
            card => card.Upstream == "file storage" && card.Cause is OperationCanceledException, "over budget is a timeout of the card's upstream");
    }

    [Fact]
    public async Task The_cards_are_read_at_the_same_time_not_one_after_another()
    {
        // The file store answers only once the notes were asked for. One after another (objects,
        // files, notes), the files card would wait out its budget and show as unavailable.
        var notes = new SignallingNoteStore();

        var overview = await new GetOverviewQueryHandler(FakeCurrentUser.Alice, FakeGraphQlGateway.AnsweringJson(TwoObjects), new FakeCurrentIdentity(), new WaitingFileStore(notes.Asked.Task), notes)
            .Handle(new GetOverviewQuery(), CancellationToken.None);

        overview.Files.Should().NotBeNull("the files card did not wait for the notes card to finish before starting");
        overview.Notes.Should().NotBeNull();
        overview.Objects.Should().NotBeNull();
    }

    private async Task<Application.Overview.GetOverview.Overview> Handle(FakeGraphQlGateway gateway, FakeCurrentUser user) =>
        await new GetOverviewQueryHandler(user, gateway, new FakeCurrentIdentity(), _store, new FakeNoteStore()).Handle(new GetOverviewQuery(), CancellationToken.None);

    /// <summary>Always has a next page, and records the page sizes it was asked for.</summary>
    private sealed class PagedFileStore : IFileStore
    {
        public List<int> PageSizes { get; } = [];

        public int DefaultPageSize => 25;

        public Task<FilePage> ListAsync(UserFolder folder, int pageSize, string? nextToken, CancellationToken cancellationToken)
        {
            PageSizes.Add(pageSize);
            return Task.FromResult(new FilePage([new StoredFile("a.txt", 1, DateTimeOffset.UnixEpoch)], "next"));
        }

        public Task<bool> ExistsAsync(UserFolder folder, string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task UploadAsync(UserFolder folder, string name, Stream content, long length, string contentType, bool overwrite, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DownloadLink> GetDownloadLinkAsync(UserFolder folder, string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(UserFolder folder, string name, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    /// <summary>Never answers and ignores cancellation: a connection that hangs.</summary>
    private sealed class StalledFileStore : IFileStore
    {
        public int DefaultPageSize => 25;

        public Task<FilePage> ListAsync(UserFolder folder, int pageSize, string? nextToken, CancellationToken cancellationToken) =>
            new TaskCompletionSource<FilePage>().Task;

        public Task<bool> ExistsAsync(UserFolder folder, string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task UploadAsync(UserFolder folder, string name, Stream content, long length, string contentType, bool overwrite, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DownloadLink> GetDownloadLinkAsync(UserFolder folder, string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(UserFolder folder, string name, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    /// <summary>Answers one empty page once <paramref name="gate"/> completes.</summary>
    private sealed class WaitingFileStore(Task gate) : IFileStore
    {
        public int DefaultPageSize => 25;

        public async Task<FilePage> ListAsync(UserFolder folder, int pageSize, string? nextToken, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken);
            return new FilePage([], null);
        }

        public Task<bool> ExistsAsync(UserFolder folder, string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task UploadAsync(UserFolder folder, string name, Stream content, long length, string contentType, bool overwrite, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DownloadLink> GetDownloadLinkAsync(UserFolder folder, string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(UserFolder folder, string name, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    /// <summary>An empty note table that says when it was asked.</summary>
    private sealed class SignallingNoteStore : INoteStore
    {
        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int DefaultPageSize => 20;

        public Task<NotePage> ListAsync(int pageSize, string? nextToken, CancellationToken cancellationToken)
        {
            Asked.TrySetResult();
            return Task.FromResult(new NotePage([], null));
        }

        public Task<Note?> FindAsync(NoteId id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task AddAsync(Note note, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(NoteId id, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class DownFileStore : IFileStore
    {
        public int DefaultPageSize => 25;

        public Task<FilePage> ListAsync(UserFolder folder, int pageSize, string? nextToken, CancellationToken cancellationToken) =>
            throw new UpstreamUnavailableException("file storage", "S3 did not answer.");

        public Task<bool> ExistsAsync(UserFolder folder, string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task UploadAsync(UserFolder folder, string name, Stream content, long length, string contentType, bool overwrite, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DownloadLink> GetDownloadLinkAsync(UserFolder folder, string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(UserFolder folder, string name, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class FailingNoteStore(bool down) : INoteStore
    {
        public int DefaultPageSize => 20;

        public Task<NotePage> ListAsync(int pageSize, string? nextToken, CancellationToken cancellationToken) =>
            down ? throw new UpstreamUnavailableException("notes", "down") : throw new ForbiddenAccessException();

        public Task<Note?> FindAsync(NoteId id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task AddAsync(Note note, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(NoteId id, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
