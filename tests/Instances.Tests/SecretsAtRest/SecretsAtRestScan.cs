using System.Text.RegularExpressions;
using CleanCognito.TestSupport;

namespace CleanCognito.Instances.Tests.SecretsAtRest;

/// <summary>
/// What must never be readable in the shared store: a Data Protection master key (its element, a key
/// descriptor's <c>&lt;value&gt;</c>, a key ring entry that is not encrypted), a token (JWT shape), and
/// any of the <paramref name="knownSecrets"/> the test collected (the tokens, refresh tokens, AWS secret
/// keys and session tokens the stand-ins issued, the master keys' own bytes), whole or in part.
/// </summary>
public static partial class SecretsAtRestScan
{
    public static IReadOnlyList<string> Find(IEnumerable<RedisEntry> entries, IReadOnlyCollection<string> knownSecrets)
    {
        var findings = new List<string>();
        foreach (var entry in entries)
        {
            var where = $"{entry.Type} {entry.Key}";
            if (entry.Text.Contains("<masterKey", StringComparison.Ordinal))
            {
                findings.Add($"{where}: a Data Protection <masterKey> element");
            }

            if (DescriptorValue().IsMatch(entry.Text))
            {
                findings.Add($"{where}: a key descriptor's <value>");
            }

            if (entry.Text.Contains("<key ", StringComparison.Ordinal) && !entry.Text.Contains("<encryptedSecret", StringComparison.Ordinal))
            {
                findings.Add($"{where}: key-ring XML in clear (a <key> without <encryptedSecret>)");
            }

            if (Jwt().Match(entry.Text) is { Success: true } jwt)
            {
                findings.Add($"{where}: a token of JWT shape ({jwt.Value[..12]}…)");
            }

            if (SecretLeaks.Find(entry.Text, knownSecrets) is { } piece)
            {
                findings.Add($"{where}: a secret the test knows ({piece[..8]}…)");
            }
        }

        return findings;
    }

    [GeneratedRegex(@"<descriptor[\s\S]*<value>")]
    private static partial Regex DescriptorValue();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")]
    private static partial Regex Jwt();
}
