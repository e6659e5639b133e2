using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Notes.CreateNote;
using CleanCognito.Application.Notes.DeleteNote;
using CleanCognito.Application.Notes.GetNote;
using CleanCognito.Application.Notes.ListNotes;
using CleanCognito.Domain.Notes;
using Microsoft.Extensions.Time.Testing;

namespace CleanCognito.Application.UnitTests.Notes;

public sealed class NoteHandlerTests
{
    private readonly FakeNoteStore _store = new() { DefaultPageSize = 2 };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 13, 8, 12, TimeSpan.Zero));

    [Fact]
    public async Task Create_stores_the_normalized_text_under_an_id_that_carries_its_time()
    {
        var note = await Create("  first line\r\nsecond\tline  ");

        note.Text.Should().Be("first line\nsecond\tline");
        note.CreatedAt.Should().Be(_time.GetUtcNow());
        note.Id.Value.Should().StartWith("20261206T1308120000000Z-");
        note.Id.CreatedAt.Should().Be(_time.GetUtcNow());
        _store.Notes.Should().ContainKey(note.Id.Value);
    }

    [Fact]
    public async Task Two_notes_in_the_same_tick_get_different_ids()
    {
        var a = await Create("a");
        var b = await Create("b");

        a.Id.Should().NotBe(b.Id);
        _store.Notes.Should().HaveCount(2);
    }

    [Fact]
    public async Task List_shows_the_newest_first_and_pages_with_the_store_token()
    {
        foreach (var text in new[] { "one", "two", "three" })
        {
            await Create(text);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await new ListNotesQueryHandler(_store).Handle(new ListNotesQuery(), CancellationToken.None);
        first.Notes.Select(n => n.Text).Should().Equal("three", "two");
        first.NextToken.Should().NotBeNull();

        var second = await new ListNotesQueryHandler(_store).Handle(new ListNotesQuery(NextToken: first.NextToken), CancellationToken.None);
        second.Notes.Select(n => n.Text).Should().Equal("one");
        second.NextToken.Should().BeNull();
        _store.Lists.Should().Equal((2, null), (2, first.NextToken));
    }

    [Fact]
    public async Task List_treats_an_empty_token_as_the_first_page()
    {
        await new ListNotesQueryHandler(_store).Handle(new ListNotesQuery(PageSize: 5, NextToken: ""), CancellationToken.None);

        _store.Lists.Should().Equal((5, null));
    }

    [Fact]
    public async Task Get_finds_the_users_note_and_a_missing_one_is_not_found()
    {
        var note = await Create("keep");

        (await new GetNoteQueryHandler(_store).Handle(new GetNoteQuery(note.Id.Value), CancellationToken.None)).Should().Be(note);
        var act = async () => await new GetNoteQueryHandler(_store).Handle(new GetNoteQuery(OtherId), CancellationToken.None);
        await act.Should().ThrowAsync<NotFoundException>();
    }

    [Fact]
    public async Task Delete_removes_the_note_and_a_second_delete_is_not_found()
    {
        var note = await Create("gone soon");
        var handler = new DeleteNoteCommandHandler(_store);

        await handler.Handle(new DeleteNoteCommand(note.Id.Value), CancellationToken.None);
        _store.Notes.Should().BeEmpty();

        var again = async () => await handler.Handle(new DeleteNoteCommand(note.Id.Value), CancellationToken.None);
        await again.Should().ThrowAsync<NotFoundException>("never \"Deleted\" for a note that was not there");
    }

    [Fact]
    public void The_command_does_not_print_the_users_text()
    {
        new CreateNoteCommand("my secret plans").ToString().Should().NotContain("secret").And.Contain("Length = 15");
    }

    private const string OtherId = "20250101T0000000000000Z-00000000";

    private async Task<Note> Create(string text) =>
        await new CreateNoteCommandHandler(_store, _time).Handle(new CreateNoteCommand(text), CancellationToken.None);
}
