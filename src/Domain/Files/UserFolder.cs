using System.Text.RegularExpressions;

namespace CleanCognito.Domain.Files;

/// <summary>
/// A user's private folder in the bucket: <c>private/{identityId}/</c>, Amplify's convention and
/// the shape the IAM policy variable <c>${cognito-identity.amazonaws.com:sub}</c> allows. The only
/// way to make a key is <see cref="KeyFor"/>, which refuses any name that is not a valid
/// <see cref="FileName"/>; so no input can name a key outside the prefix.
/// </summary>
public sealed partial record UserFolder
{
    private UserFolder(string identityId) => IdentityId = identityId;

    public string IdentityId { get; }

    /// <summary>The key prefix, always ending with '/'.</summary>
    public string Prefix => $"private/{IdentityId}/";

    /// <summary>The folder of an identity pool IdentityId (<c>region:uuid</c>; never contains '/').</summary>
    public static UserFolder For(string identityId) =>
        identityId is { Length: <= 55 } && IdentityIdPattern().IsMatch(identityId)
            ? new UserFolder(identityId)
            : throw new ArgumentException("Not an identity pool IdentityId.", nameof(identityId));

    /// <summary>The S3 key of <paramref name="name"/> in this folder.</summary>
    public string KeyFor(string name) =>
        FileName.Problem(name) is { } problem ? throw new ArgumentException(problem, nameof(name)) : Prefix + name;

    /// <summary>The file name of a key listed under <see cref="Prefix"/>, or null for a key outside it.</summary>
    public string? NameOf(string key) =>
        key.StartsWith(Prefix, StringComparison.Ordinal) && key.Length > Prefix.Length ? key[Prefix.Length..] : null;

    public override string ToString() => Prefix;

    // Cognito's own pattern for IdentityId, anchored: [\w-]+:[0-9a-f-]+, at most 55 characters (ASCII only here).
    [GeneratedRegex(@"\A[A-Za-z0-9_-]{1,50}:[0-9a-f-]{1,50}\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex IdentityIdPattern();
}
