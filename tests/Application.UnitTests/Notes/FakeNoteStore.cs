using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Notes;

namespace CleanCognito.Application.UnitTests.Notes;

/// <summary>One user's notes in memory, listed newest first, with tokens that are the last shown id (the real store protects them).</summary>
internal sealed class FakeNoteStore : INoteStore
{
    public SortedDictionary<string, Note> Notes { get; } = new(StringComparer.Ordinal);

    public List<(int PageSize, string? Token)> Lists { get; } = [];

    public int DefaultPageSize { get; init; } = 20;

    public Task<NotePage> ListAsync(int pageSize, string? nextToken, CancellationToken cancellationToken)
    {
        Lists.Add((pageSize, nextToken));
        if (nextToken is not null && !nextToken.StartsWith("after:", StringComparison.Ordinal))
        {
            throw new ValidationException("NextToken", "That page link is not valid any more.");
        }

        var after = nextToken?["after:".Length..];
        var newestFirst = Notes.Values.Reverse().Where(n => after is null || string.CompareOrdinal(n.Id.Value, after) < 0).ToList();
        var page = newestFirst.Take(pageSize).ToList();
        return Task.FromResult(new NotePage(page, newestFirst.Count > pageSize ? $"after:{page[^1].Id.Value}" : null));
    }

    public Task<Note?> FindAsync(NoteId id, CancellationToken cancellationToken) =>
        Task.FromResult(Notes.TryGetValue(id.Value, out var note) ? note : null);

    public Task AddAsync(Note note, CancellationToken cancellationToken)
    {
        Notes.Add(note.Id.Value, note);
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(NoteId id, CancellationToken cancellationToken) => Task.FromResult(Notes.Remove(id.Value));
}
