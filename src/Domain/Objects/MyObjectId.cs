namespace CleanCognito.Domain.Objects;

/// <summary>The rules for an object id, shared by every use case that takes one.</summary>
public static class MyObjectId
{
    public const int MaxLength = 64;

    /// <summary>True when <paramref name="value"/> is 1–64 characters of <c>[A-Za-z0-9_-]</c>.</summary>
    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value)
        && value.Length <= MaxLength
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
