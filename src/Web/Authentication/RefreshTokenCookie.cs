namespace CleanCognito.Web.Authentication;

/// <summary>
/// The refresh token of a session, decrypted only when something asks for it (a refresh, a sign-out).
/// The cookie arrives on every request, but while the access and ID tokens are valid nothing reads it,
/// and a Data Protection decryption is a measurable share of a page's CPU (docs/BENCHMARKS.md).
/// </summary>
internal sealed class RefreshTokenCookie
{
    private readonly Lazy<string?> _value;

    /// <summary>A refresh token already in the clear (fresh from the user pool).</summary>
    public RefreshTokenCookie(string? refreshToken) => _value = new Lazy<string?>(refreshToken);

    private RefreshTokenCookie(Func<string?> decrypt) => _value = new Lazy<string?>(decrypt, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The cookie's encrypted value, decrypted by <paramref name="unprotect"/> on first use (null: missing or unreadable).</summary>
    public static RefreshTokenCookie Encrypted(string? protectedValue, Func<string?, string?> unprotect) =>
        protectedValue is null ? new RefreshTokenCookie((string?)null) : new RefreshTokenCookie(() => unprotect(protectedValue));

    /// <summary>The refresh token, or null when there is none or the cookie cannot be decrypted here.</summary>
    public string? Value => _value.Value;
}
