namespace CleanCognito.Domain.Objects;

/// <summary>The rules for an object id, shared by every use case that takes one.</summary>
public static class MyObjectId
{
    public const int MaxLength = 64;

    /// <summary>The rule in words, for validation messages wherever an id is entered.</summary>
    public const string Requirement = "An object id is 1 to 64 letters, digits, '-' or '_'.";

    /// <summary>True when <paramref name="value"/> is 1–64 characters of <c>[A-Za-z0-9_-]</c>.</summary>
    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value)
        && value.Length <= MaxLength
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
