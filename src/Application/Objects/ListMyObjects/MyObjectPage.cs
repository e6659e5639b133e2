using CleanCognito.Domain.Objects;

namespace CleanCognito.Application.Objects.ListMyObjects;

/// <summary>A page of objects.</summary>
/// <param name="NextToken">Where the next page starts; null on the last page.</param>
/// <param name="IsPartial">True when some objects could not be read: <see cref="Items"/> holds the ones that came back.</param>
public sealed record MyObjectPage(IReadOnlyList<MyObject> Items, string? NextToken, bool IsPartial);
