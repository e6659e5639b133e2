namespace CleanCognito.Application.Common.Interfaces;

/// <summary>One page of a listing; <see cref="NextToken"/> asks for the next, null on the last.</summary>
public sealed record FilePage(IReadOnlyList<StoredFile> Files, string? NextToken);
