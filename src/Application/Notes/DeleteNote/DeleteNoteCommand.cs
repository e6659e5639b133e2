using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Notes;
using Mediator;

namespace CleanCognito.Application.Notes.DeleteNote;

/// <summary>Deletes one of the user's notes; a note that is not there (or not theirs) is a 404, never "Deleted".</summary>
public sealed record DeleteNoteCommand(string Id) : ICommand;

public sealed class DeleteNoteCommandHandler(INoteStore store) : ICommandHandler<DeleteNoteCommand>
{
    public async ValueTask<Unit> Handle(DeleteNoteCommand command, CancellationToken cancellationToken)
    {
        // One call: the store says whether it deleted anything (DynamoDB returns the old item).
        if (!await store.DeleteAsync(NoteId.Parse(command.Id), cancellationToken))
        {
            throw new NotFoundException("There is no such note: it may have been deleted already.");
        }

        return Unit.Value;
    }
}
