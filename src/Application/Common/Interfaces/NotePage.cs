using CleanCognito.Domain.Notes;

namespace CleanCognito.Application.Common.Interfaces;

/// <param name="NextToken">Continues the list after this page; null on the last page.</param>
public sealed record NotePage(IReadOnlyList<Note> Notes, string? NextToken);
