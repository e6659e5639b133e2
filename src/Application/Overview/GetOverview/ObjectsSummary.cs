using CleanCognito.Domain.Objects;

namespace CleanCognito.Application.Overview.GetOverview;

/// <param name="Count">Objects on the first page; <paramref name="HasMore"/> says there are more beyond it.</param>
/// <param name="Latest">The most recently dated object of that page.</param>
public sealed record ObjectsSummary(int Count, bool HasMore, MyObject? Latest);
