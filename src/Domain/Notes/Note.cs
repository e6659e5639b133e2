namespace CleanCognito.Domain.Notes;

/// <summary>One of the user's notes: its id (which sorts by creation), its text (<see cref="NoteText"/>) and when it was written.</summary>
public sealed record Note(NoteId Id, string Text, DateTimeOffset CreatedAt);
