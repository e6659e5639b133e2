namespace CleanCognito.TestSupport;

/// <summary>Finds secrets (tokens) in text: whole, or any substring of <see cref="MinLength"/> characters or more.</summary>
public static class SecretLeaks
{
    public const int MinLength = 40;

    /// <summary>The first 40-character piece of any secret found in <paramref name="text"/>, or null.</summary>
    public static string? Find(string? text, IEnumerable<string?> secrets)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        foreach (var secret in secrets)
        {
            if (secret is null || secret.Length < MinLength)
            {
                continue;
            }

            for (var i = 0; i + MinLength <= secret.Length; i++)
            {
                var piece = secret.Substring(i, MinLength);
                if (text.Contains(piece, StringComparison.Ordinal))
                {
                    return piece;
                }
            }
        }

        return null;
    }
}
