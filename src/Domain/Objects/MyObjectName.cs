namespace CleanCognito.Domain.Objects;

/// <summary>The rules for an object's name.</summary>
public static class MyObjectName
{
    public const int MaxLength = 100;

    public const string Requirement = "A name is 1 to 100 characters, not only spaces, without control characters.";

    /// <summary>
    /// True for 1–100 characters that are not all white space and contain no control characters
    /// (a newline or NUL in a name breaks every list that shows it).
    /// </summary>
    public static bool IsValid(string? value) =>
        !string.IsNullOrWhiteSpace(value)
        && value.Length <= MaxLength
        && !value.Any(char.IsControl);
}
