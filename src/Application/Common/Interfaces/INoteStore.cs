using CleanCognito.Domain.Notes;

namespace CleanCognito.Application.Common.Interfaces;

/// <summary>
/// The signed-in user's notes. Every method works on that user's own notes only: the store takes
/// the owner from the user's credentials, never from an argument, so no input can name another
/// user's notes. Failures of the store are thrown as <see cref="Exceptions.UpstreamUnavailableException"/>.
/// </summary>
public interface INoteStore
{
    /// <summary>The page size used when the caller does not choose one (<c>Notes:PageSize</c>).</summary>
    int DefaultPageSize { get; }

    /// <summary>
    /// One page of notes, newest first. <paramref name="nextToken"/> is an earlier page's
    /// <see cref="NotePage.NextToken"/>: opaque and protected, valid for this user only; anything
    /// else is refused with <see cref="Exceptions.ValidationException"/>.
    /// </summary>
    Task<NotePage> ListAsync(int pageSize, string? nextToken, CancellationToken cancellationToken);

    /// <summary>The note, or null when the user has no note of that id.</summary>
    Task<Note?> FindAsync(NoteId id, CancellationToken cancellationToken);

    /// <summary>Stores a new note (never replaces one: ids are new).</summary>
    Task AddAsync(Note note, CancellationToken cancellationToken);

    /// <summary>Deletes the note; false when the user had no note of that id.</summary>
    Task<bool> DeleteAsync(NoteId id, CancellationToken cancellationToken);
}
