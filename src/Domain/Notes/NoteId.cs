using System.Globalization;
using System.Text.RegularExpressions;

namespace CleanCognito.Domain.Notes;

/// <summary>
/// A note's id, made by the app so that ids sort by creation time (the table's sort key, so
/// "newest first" is a Query in reverse key order): <c>{createdAt as yyyyMMddTHHmmssfffffffZ}-{8 random hex}</c>,
/// e.g. <c>20261206T1308120000000Z-9f3a0c1e</c>. The random part keeps two notes of one tick apart.
/// </summary>
public sealed partial record NoteId
{
    public const int Length = 32;

    public const string Requirement = "A note id looks like 20261206T1308120000000Z-9f3a0c1e.";

    private const string TimeFormat = "yyyyMMdd'T'HHmmssfffffff'Z'";

    private NoteId(string value) => Value = value;

    public string Value { get; }

    /// <summary>The creation time the id carries.</summary>
    public DateTimeOffset CreatedAt =>
        DateTimeOffset.ParseExact(Value[..23], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>A new id for a note created at <paramref name="createdAt"/>; <paramref name="random"/> is 32 random bits.</summary>
    public static NoteId New(DateTimeOffset createdAt, uint random) =>
        new($"{createdAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}-{random.ToString("x8", CultureInfo.InvariantCulture)}");

    public static bool IsValid(string? value) => value is { Length: Length } && Pattern().IsMatch(value) && ParsesAsTime(value);

    /// <summary>The id in <paramref name="value"/>; throws <see cref="ArgumentException"/> for anything else (validate first).</summary>
    public static NoteId Parse(string? value) =>
        IsValid(value) ? new NoteId(value!) : throw new ArgumentException(Requirement, nameof(value));

    public override string ToString() => Value;

    private static bool ParsesAsTime(string value) =>
        DateTimeOffset.TryParseExact(value[..23], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    [GeneratedRegex(@"\A[0-9]{8}T[0-9]{13}Z-[0-9a-f]{8}\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Pattern();
}
