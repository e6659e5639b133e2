using CleanCognito.Domain.Notes;

namespace CleanCognito.Application.Overview.GetOverview;

/// <param name="Count">Notes on the first page; <paramref name="HasMore"/> says there are more.</param>
/// <param name="Latest">The newest note (the list is newest first).</param>
public sealed record NotesSummary(int Count, bool HasMore, Note? Latest);
