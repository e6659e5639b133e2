namespace CleanCognito.Domain.Notes;

/// <summary>
/// The rules for a note's text, decided once (docs/decisions/0009-one-aws-client-factory.md, Notes):
/// <list type="bullet">
/// <item>line breaks become <c>\n</c> (browsers send a textarea's as <c>\r\n</c>), then the text is trimmed;</item>
/// <item>1 to 1000 characters after that, counted as UTF-16 code units — what a textarea's <c>maxlength</c> counts, so the form and the server agree;</item>
/// <item>no control characters except line feed and tab: a NUL, an escape or a bell have no place in a note and break what shows it;</item>
/// <item>no bidirectional overrides or isolates (U+202A–U+202E, U+2066–U+2069), which can make a text read differently from what it stores; other format characters (a zero-width joiner in an emoji) are kept;</item>
/// <item>no lone surrogate halves: they are not text, and DynamoDB stores UTF-8.</item>
/// </list>
/// </summary>
public static class NoteText
{
    public const int MaxLength = 1000;

    public const string Requirement = "A note is 1 to 1000 characters (line breaks and tabs allowed, no other control characters).";

    /// <summary>The text as it is stored: line breaks as <c>\n</c>, no white space at either end.</summary>
    public static string Normalize(string? value) =>
        (value ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim();

    /// <summary>What is wrong with <paramref name="value"/> (normalized first), or null when it is a valid note.</summary>
    public static string? Problem(string? value)
    {
        var text = Normalize(value);
        if (text.Length == 0)
        {
            return "Write something: a note cannot be empty or only spaces.";
        }

        if (text.Length > MaxLength)
        {
            return $"A note is at most {MaxLength} characters; this one has {text.Length}.";
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && c is not '\n' and not '\t')
            {
                return "A note cannot contain control characters (only line breaks and tabs).";
            }

            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            {
                return "A note cannot contain characters that reverse the direction of the text.";
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "A note must be valid text (it contains half of a character).";
            }
        }

        return null;
    }
}
