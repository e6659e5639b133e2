using CleanCognito.Domain.Objects;

namespace CleanCognito.Application.Objects;

/// <summary>
/// A <c>MyObject</c> as it arrives over GraphQL. Every field is nullable because a field whose
/// resolver failed arrives as null next to an entry in <c>errors[]</c>; only complete objects
/// become domain objects.
/// </summary>
internal sealed record MyObjectFields(string? Id, string? Name, DateTimeOffset? Date)
{
    public const string Selection = "id name date";

    public MyObject? ToDomain() =>
        Id is not null && Name is not null && Date is { } date ? new MyObject(Id, Name, date) : null;
}
