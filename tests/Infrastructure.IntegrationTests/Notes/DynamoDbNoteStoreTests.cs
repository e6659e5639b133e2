using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Notes;
using CleanCognito.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CleanCognito.Infrastructure.IntegrationTests.Notes;

/// <summary>
/// The DynamoDB adapter against the stand-in's front (SigV4 and the template's policy with
/// <c>dynamodb:LeadingKeys</c>) and moto's table made from the template's NotesTable, with each
/// user's own identity-pool credentials through the app's client factory.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class DynamoDbNoteStoreTests(LocalAwsStack stack) : IAsyncLifetime
{
    private NotesUser _alice = null!;
    private NotesUser _bob = null!;

    public async Task InitializeAsync()
    {
        _alice = await NotesUser.SignInAsync(stack, stack.Alice, s => s["Notes:PageSize"] = "2");
        _bob = await NotesUser.SignInAsync(stack, stack.Bob);
        await DeleteAllAsync(_alice);
        await DeleteAllAsync(_bob);
    }

    public Task DisposeAsync()
    {
        _alice.Dispose();
        _bob.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_note_is_stored_and_read_back_as_written()
    {
        var note = NewNote("Grüße 👩‍👩‍👧\nsecond line\twith a tab", seconds: 0);

        await _alice.Request(store => store.AddAsync(note, CancellationToken.None));

        var found = await _alice.Request(store => store.FindAsync(note.Id, CancellationToken.None));
        found.Should().Be(note);
    }

    [Fact]
    public async Task The_list_is_newest_first_and_pages_with_protected_tokens_to_the_end()
    {
        var notes = Enumerable.Range(0, 5).Select(i => NewNote($"note {i}", seconds: i)).ToList();
        foreach (var note in notes)
        {
            await _alice.Request(store => store.AddAsync(note, CancellationToken.None));
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _alice.Request(store => store.ListAsync(2, token, CancellationToken.None));
            seen.AddRange(page.Notes.Select(n => n.Text));
            token = page.NextToken;
            token?.Should().NotContain(notes[0].Id.Value[..8], "the token is opaque: it does not show the key it continues from");
            pages++;
        }
        while (token is not null && pages < 10);

        seen.Should().Equal("note 4", "note 3", "note 2", "note 1", "note 0");
        pages.Should().Be(3, "the last page says there is nothing after it, without an empty page");
    }

    /// <summary>The isolation the app keeps by taking the owner from the credentials, never from input (the front's own refusals are i22-standin's tests).</summary>
    [Fact]
    public async Task Alice_cannot_see_read_or_delete_bobs_notes()
    {
        var bobs = NewNote("bob's secret", seconds: 1);
        await _bob.Request(store => store.AddAsync(bobs, CancellationToken.None));

        var alicesList = await _alice.Request(store => store.ListAsync(100, null, CancellationToken.None));
        var alicesFind = await _alice.Request(store => store.FindAsync(bobs.Id, CancellationToken.None));
        var alicesDelete = await _alice.Request(store => store.DeleteAsync(bobs.Id, CancellationToken.None));

        alicesList.Notes.Should().NotContain(n => n.Id == bobs.Id);
        alicesFind.Should().BeNull();
        alicesDelete.Should().BeFalse();
        (await _bob.Request(store => store.FindAsync(bobs.Id, CancellationToken.None))).Should().Be(bobs, "bob's note is untouched");
    }

    [Fact]
    public async Task A_page_token_of_another_user_an_edited_one_or_a_made_up_one_is_a_bad_page_link()
    {
        foreach (var i in Enumerable.Range(0, 3))
        {
            await _bob.Request(store => store.AddAsync(NewNote($"bob {i}", seconds: i), CancellationToken.None));
        }

        var bobsToken = (await _bob.Request(store => store.ListAsync(1, null, CancellationToken.None))).NextToken!;
        bobsToken.Should().NotBeNull();
        var edited = bobsToken[..^2] + (bobsToken[^2] == 'A' ? "B" : "A") + bobsToken[^1];

        foreach (var token in new[] { bobsToken, edited, "not-a-token", "eyJvd25lcklkIjoidXMtZWFzdC0xOmJvYiJ9" })
        {
            var asAlice = () => _alice.Request(store => store.ListAsync(2, token, CancellationToken.None));
            (await asAlice.Should().ThrowAsync<ValidationException>()).Which.Errors.Should().ContainKey("NextToken");
        }

        var editedByBob = () => _bob.Request(store => store.ListAsync(1, edited, CancellationToken.None));
        await editedByBob.Should().ThrowAsync<ValidationException>();
    }

    [Fact]
    public async Task Delete_says_whether_there_was_a_note()
    {
        var note = NewNote("to delete", seconds: 2);
        await _alice.Request(store => store.AddAsync(note, CancellationToken.None));

        (await _alice.Request(store => store.DeleteAsync(note.Id, CancellationToken.None))).Should().BeTrue();
        (await _alice.Request(store => store.DeleteAsync(note.Id, CancellationToken.None))).Should().BeFalse();
        (await _alice.Request(store => store.FindAsync(note.Id, CancellationToken.None))).Should().BeNull();
    }

    /// <summary>A table the role does not grant: DynamoDB's AccessDeniedException is the 403 page, not a 503.</summary>
    [Fact]
    public async Task A_refusal_by_the_policy_is_forbidden_access()
    {
        using var misconfigured = await NotesUser.SignInAsync(stack, stack.Alice, s => s["Notes:TableName"] = "cleancognito-local-other");

        var act = () => misconfigured.Request(store => store.ListAsync(2, null, CancellationToken.None));

        await act.Should().ThrowAsync<ForbiddenAccessException>();
    }

    [Fact]
    public async Task A_stalled_front_is_a_503_within_the_notes_bound()
    {
        using var impatient = await NotesUser.SignInAsync(stack, stack.Alice, s =>
        {
            s["Notes:TimeoutSeconds"] = "2";
            s["Notes:AttemptTimeoutSeconds"] = "1";
        });
        // Credentials first, so only the DynamoDB call meets the stall.
        await impatient.Request(store => store.ListAsync(1, null, CancellationToken.None));
        await stack.PauseS3Async();
        try
        {
            var started = DateTimeOffset.UtcNow;
            var act = () => impatient.Request(store => store.ListAsync(1, null, CancellationToken.None));

            (await act.Should().ThrowAsync<UpstreamUnavailableException>()).Which.Service.Should().Be("notes");
            (DateTimeOffset.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(8));
        }
        finally
        {
            await stack.ResumeS3Async();
        }
    }

    private static Note NewNote(string text, int seconds)
    {
        var at = new DateTimeOffset(2026, 12, 6, 13, 0, seconds, TimeSpan.Zero);
        return new Note(NoteId.New(at, (uint)Random.Shared.Next()), text, at);
    }

    private static async Task DeleteAllAsync(NotesUser user)
    {
        var page = await user.Request(store => store.ListAsync(100, null, CancellationToken.None));
        foreach (var note in page.Notes)
        {
            await user.Request(store => store.DeleteAsync(note.Id, CancellationToken.None));
        }
    }
}
