using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Notes;
using Mediator;

namespace CleanCognito.Application.Notes.GetNote;

/// <summary>One of the user's notes (for the delete confirmation). Another user's id is simply not found.</summary>
public sealed record GetNoteQuery(string Id) : IQuery<Note>;

public sealed class GetNoteQueryHandler(INoteStore store) : IQueryHandler<GetNoteQuery, Note>
{
    public async ValueTask<Note> Handle(GetNoteQuery query, CancellationToken cancellationToken) =>
        await store.FindAsync(NoteId.Parse(query.Id), cancellationToken)
        ?? throw new NotFoundException("There is no such note.");
}
