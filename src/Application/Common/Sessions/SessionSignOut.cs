using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Security;

namespace CleanCognito.Application.Common.Sessions;

/// <summary>
/// The sign-out denylist's rules, in one place for every implementation of <see cref="ISignedOutSessions"/>:
/// what a sign-out records, how long, and which tokens it refuses.
/// </summary>
public static class SessionSignOut
{
    private const string RefreshTokenPrefix = "refresh:";

    /// <summary>
    /// The id a refresh token is known by: a hash, so no store ever holds the token itself. The
    /// refresh single-flight uses the same id as its key.
    /// </summary>
    public static string RefreshTokenId(string refreshToken) =>
        RefreshTokenPrefix + SecretKey.Of("refresh-token", refreshToken);

    /// <summary>
    /// What a sign-out at <paramref name="now"/> records for <paramref name="tokens"/>: the session id
    /// (<c>origin_jti</c>, or <c>jti</c> without one) and the <c>jti</c> of both tokens, and the refresh
    /// token's id. Null when there is nothing to record.
    /// </summary>
    /// <remarks>
    /// Kept until the latest <c>exp</c> a token of this session can carry: at least the tokens' own
    /// <c>exp</c>, and <paramref name="now"/> plus their lifetime (<c>exp − iat</c>), because a token
    /// refreshed on another instance just before the sign-out (same <c>origin_jti</c>) expires later
    /// than the cookies signed out. After the revocation the pool refuses every further refresh.
    /// </remarks>
    public static SignedOutSession? Of(UserTokens tokens, string? refreshToken, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var marks = new[] { tokens.AccessMarks, tokens.IdMarks };
        var ids = marks.SelectMany(m => new[] { m.SessionId, m.Jti })
            .Where(id => !string.IsNullOrEmpty(id))
            .Select(id => id!)
            .ToList();
        if (refreshToken is not null)
        {
            ids.Add(RefreshTokenId(refreshToken));
        }

        if (ids.Count == 0)
        {
            return null;
        }

        var until = new[] { tokens.AccessTokenExpiresAt, tokens.IdTokenExpiresAt }
            .Concat(marks.Where(m => m.IssuedAt != default && m.ExpiresAt > m.IssuedAt).Select(m => now + (m.ExpiresAt - m.IssuedAt)))
            .Max();
        return new SignedOutSession(ids.Distinct(StringComparer.Ordinal).ToList(), until);
    }

    /// <summary>Whether the token belongs to a signed-out session (by its session id) or was itself signed out (by its <c>jti</c>).</summary>
    public static bool IsSignedOut(this ISignedOutSessions sessions, TokenMarks token)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        return (token.SessionId is { } sessionId && sessions.Contains(sessionId))
            || (!string.IsNullOrEmpty(token.Jti) && sessions.Contains(token.Jti));
    }

    /// <summary>Whether the refresh token was signed out: no refresh may bring its session back.</summary>
    public static bool IsRefreshTokenSignedOut(this ISignedOutSessions sessions, string refreshToken)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        return sessions.Contains(RefreshTokenId(refreshToken));
    }
}
