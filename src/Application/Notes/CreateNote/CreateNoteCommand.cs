using System.Security.Cryptography;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Notes;
using Mediator;

namespace CleanCognito.Application.Notes.CreateNote;

/// <summary>Writes a new note with <paramref name="Text"/> (normalized: see <see cref="NoteText"/>).</summary>
public sealed record CreateNoteCommand(string Text) : ICommand<Note>
{
    // The text is the user's own writing: keep it out of any log line that prints the command.
    public override string ToString() => $"CreateNoteCommand {{ Length = {Text?.Length ?? 0} }}";
}

public sealed class CreateNoteCommandHandler(INoteStore store, TimeProvider time) : ICommandHandler<CreateNoteCommand, Note>
{
    public async ValueTask<Note> Handle(CreateNoteCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var note = new Note(NoteId.New(now, BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4))), NoteText.Normalize(command.Text), now);
        await store.AddAsync(note, cancellationToken);
        return note;
    }
}
