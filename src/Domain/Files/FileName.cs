using System.Text;

namespace CleanCognito.Domain.Files;

/// <summary>
/// The rules for a file name a user picks. A name is the part of the S3 key after the user's
/// prefix, so these rules are what keep every key inside <c>private/{identityId}/</c>:
/// no leading '/', no '.' or '..' segment, no backslash (some tools treat it as a separator).
/// </summary>
public static class FileName
{
    public const int MaxBytes = 255;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Null when <paramref name="name"/> is acceptable; otherwise why it is not, in words for the user.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "Choose a file name.";
        }

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(name);
        }
        catch (ArgumentException)
        {
            // A lone surrogate has no UTF-8 form: S3 would store a replacement character instead.
            return "The file name contains characters that cannot be stored.";
        }

        if (bytes > MaxBytes)
        {
            return $"The file name is too long: at most {MaxBytes} bytes of UTF-8.";
        }

        if (name.Any(char.IsControl))
        {
            return "The file name must not contain control characters.";
        }

        if (name.Contains('\\', StringComparison.Ordinal))
        {
            return "The file name must not contain a backslash.";
        }

        if (name[0] == '/')
        {
            return "The file name must not start with '/'.";
        }

        // Empty segments ("a//b", "a/") would make keys that look like folders.
        if (name.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            return "The file name must not contain empty, '.' or '..' parts between slashes.";
        }

        // "private/us-east-1:…/x" would be stored harmlessly inside the user's own folder, but it
        // reads like another user's key: refuse it so nobody is misled about whose file it is.
        if (LooksLikeAFullKey(name))
        {
            return "The file name must not start with another folder's key (private/, protected/ or public/ and an identity).";
        }

        return null;
    }

    private static bool LooksLikeAFullKey(string name)
    {
        var segments = name.Split('/', 3);
        return segments.Length >= 2
            && segments[0] is "private" or "protected" or "public"
            && segments[1].Contains(':', StringComparison.Ordinal);
    }

    public static bool IsValid(string? name) => Problem(name) is null;
}
