using System.ComponentModel;

namespace CleanCognito.Application.Common.Interfaces;

/// <summary>Credentials as cached: the set itself and when to replace it (see <see cref="Credentials.CredentialCachePolicy"/>).</summary>
/// <remarks>Immutable, so an in-memory cache may hand out the same instance to every reader.</remarks>
[ImmutableObject(true)]
public sealed record CachedCredentials(IdentityCredentials Credentials, DateTimeOffset RefreshAt)
{
    /// <summary>Fresh ones are used as they are; stale ones are fetched again (with the caller's own tokens).</summary>
    public bool IsFreshAt(DateTimeOffset now) => now < RefreshAt;

    /// <summary>
    /// Credentials to replace <paramref name="margin"/> before they expire. Credentials that live
    /// shorter than twice the margin (a test pool, a clock apart) would otherwise be fetched again
    /// on every request: those are replaced half-way instead.
    /// </summary>
    public static CachedCredentials For(IdentityCredentials credentials, DateTimeOffset now, TimeSpan margin)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var lifetime = credentials.Expiration - now;
        var effectiveMargin = lifetime < 2 * margin ? lifetime / 2 : margin;
        return new CachedCredentials(credentials, credentials.Expiration - effectiveMargin);
    }
}
