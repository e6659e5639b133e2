using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Application.Overview.GetOverview;

/// <param name="Count">Files on the first page; <paramref name="HasMore"/> says there are more (then the size is a lower bound).</param>
/// <param name="TotalBytes">The sum of their sizes.</param>
/// <param name="Latest">The most recently changed file of that page.</param>
public sealed record FilesSummary(int Count, long TotalBytes, bool HasMore, StoredFile? Latest);
