using System.Text.RegularExpressions;

namespace CleanCognito.Web.Logging;

/// <summary>
/// Replaces the values of query parameters that carry a secret (the sign-in callback's <c>code</c>
/// and <c>state</c>, and any token) with <c>[redacted]</c>.
/// </summary>
internal static partial class QuerySecretRedaction
{
    public const string Redacted = "[redacted]";

    /// <summary>True when <paramref name="text"/> names one of the parameters after <c>?</c> or <c>&amp;</c>.</summary>
    public static bool Applies(string? text) => text is not null && SecretParameter().IsMatch(text);

    public static string Redact(string text) => SecretParameter().Replace(text, "$1" + Redacted);

    [GeneratedRegex(@"([?&](?:code|state|id_token|access_token|refresh_token|session_state)=)[^&#\s'""]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretParameter();
}
