using System.Globalization;
using System.Security.Claims;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Sessions;
using CleanCognito.Infrastructure.Cognito;
using Microsoft.Extensions.Options;

namespace CleanCognito.Web.Authentication;

/// <summary>
/// Turns the token cookies into a validated session, once per request: both tokens validated,
/// belonging to the same user; expired tokens refreshed once with the refresh cookie (when the
/// refresh flow is on); anything invalid ended. The session goes into the request's
/// <see cref="RequestSession"/>, which writes or clears the cookies once, when the response starts:
/// a renewal in the middle of a handler (AppSync's 401) never writes to the response.
/// </summary>
internal sealed partial class SessionCookieValidator(
    CognitoTokenValidator validator,
    TokenCookies cookies,
    SessionRefresher refresher,
    ISignedOutSessions signedOut,
    IOptions<CognitoOptions> options,
    ILogger<SessionCookieValidator> logger)
{
    public const string AuthenticationType = CognitoTokenValidator.AuthenticationType;

    /// <summary>The session in this request's cookies: a session, or null with the reason (null reason: no cookies at all).</summary>
    public async Task<(CognitoSession? Session, string? Failure)> ReadAsync(HttpContext context)
    {
        var held = RequestSession.Of(context, cookies);
        var stored = cookies.Read(context.Request);
        if (stored.IsEmpty)
        {
            if (!TokenCookies.AnyPresent(context.Request))
            {
                return (null, null);
            }

            // Session cookies that say nothing readable (a refresh cookie we cannot decrypt, a lone
            // chunk): drop them, or the browser sends them forever.
            held.End(context);
            return (null, "unreadable session cookies");
        }

        if (stored.HasTokens)
        {
            var (status, session, reason) = await ValidateAsync(stored.AccessToken!, stored.IdToken!, stored.Refresh, context.RequestAborted);
            if (status == TokenStatus.Valid)
            {
                held.Keep(session!);
                return (session, null);
            }

            if (status == TokenStatus.Invalid)
            {
                LogRejected(logger, reason!);
                held.End(context);
                return (null, reason);
            }
        }

        // Expired, or the token cookies aged out while the refresh cookie lives on.
        if (!options.Value.RefreshFlowEnabled || stored.Refresh.Value is not { } refreshToken)
        {
            // Nothing can renew this session: drop the dead cookies rather than re-validate them on every request.
            held.End(context);
            return (null, "the session expired");
        }

        var renewed = await RenewAsync(context, refreshToken);
        return renewed is null ? (null, "the session could not be refreshed") : (renewed, null);
    }

    /// <summary>Refreshes with <paramref name="refreshToken"/> and replaces the request's session; null (session ended) when refused.</summary>
    public async Task<CognitoSession?> RenewAsync(HttpContext context, string refreshToken)
    {
        var (tokens, started) = await refresher.RefreshAsync(refreshToken, context.RequestAborted);
        if (tokens is null)
        {
            LogRefreshRefused(logger);
            RequestSession.Of(context, cookies).End(context);
            return null;
        }

        var session = await StartAsync(context, tokens.AccessToken, tokens.IdToken, tokens.RefreshToken ?? refreshToken, writeRefreshCookie: tokens.RefreshToken is not null);
        if (session is not null && started)
        {
            // Once per refresh: requests that shared it (a page's parallel requests, the old cookies
            // arriving for the next 30 s) are not refreshes of their own.
            LogRefreshed(logger, session.Tokens.UserId);
        }

        return session;
    }

    /// <summary>Validates freshly issued tokens and makes them the request's session (cookies follow when the response starts); null (session ended) when they do not validate.</summary>
    public async Task<CognitoSession?> StartAsync(HttpContext context, string accessToken, string idToken, string? refreshToken, bool writeRefreshCookie = true)
    {
        var (status, session, reason) = await ValidateAsync(accessToken, idToken, new RefreshTokenCookie(refreshToken), context.RequestAborted);
        if (status != TokenStatus.Valid)
        {
            LogRejected(logger, reason ?? "not valid");
            RequestSession.Of(context, cookies).End(context);
            return null;
        }

        RequestSession.Of(context, cookies).Replace(context, session!, writeRefreshCookie ? refreshToken : null);
        return session;
    }

    /// <summary>Checks tokens without touching cookies (the OIDC callback calls it before sign-in).</summary>
    public async Task<string?> RejectionReasonAsync(string? accessToken, string? idToken, CancellationToken cancellationToken)
    {
        if (accessToken is null || idToken is null)
        {
            return "the token response lacks a token";
        }

        var (status, _, reason) = await ValidateAsync(accessToken, idToken, null, cancellationToken);
        return status == TokenStatus.Valid ? null : reason;
    }

    private async Task<(TokenStatus Status, CognitoSession? Session, string? Reason)> ValidateAsync(
        string accessToken, string idToken, RefreshTokenCookie? refreshToken, CancellationToken cancellationToken)
    {
        var access = await validator.ValidateAsync(accessToken, TokenUse.Access, cancellationToken);
        if (access.Status == TokenStatus.Invalid)
        {
            return (TokenStatus.Invalid, null, $"access token: {access.Reason}");
        }

        var id = await validator.ValidateAsync(idToken, TokenUse.Id, cancellationToken);
        if (id.Status == TokenStatus.Invalid)
        {
            return (TokenStatus.Invalid, null, $"ID token: {id.Reason}");
        }

        var userId = id.Identity!.FindFirst("sub")?.Value;
        if (userId is null || access.Identity!.FindFirst("sub")?.Value != userId)
        {
            return (TokenStatus.Invalid, null, "the access and ID tokens belong to different users");
        }

        // Before the expiry check: an expired signed-out session must not be refreshed either.
        var accessMarks = Marks(access);
        var idMarks = Marks(id);
        if (signedOut.IsSignedOut(accessMarks) || signedOut.IsSignedOut(idMarks))
        {
            return (TokenStatus.Invalid, null, "the session was signed out");
        }

        if (access.Status == TokenStatus.Expired || id.Status == TokenStatus.Expired)
        {
            return (TokenStatus.Expired, null, "expired");
        }

        // The ID token's identity as the validator gives it (type Cognito, named by cognito:username,
        // roles from cognito:groups). It may be a kept verdict shared by this session's requests:
        // read-only, like every principal here (a claims transformation must build a new one).
        var tokens = new UserTokens(accessToken, idToken, options.Value.Issuer, userId, access.ExpiresAt, id.ExpiresAt)
        {
            AccessMarks = accessMarks,
            IdMarks = idMarks,
        };
        return (TokenStatus.Valid, new CognitoSession(new ClaimsPrincipal(id.Identity), tokens, refreshToken), null);
    }

    /// <summary>The claims that tie a validated token to its session (<c>origin_jti</c>, <c>jti</c>, <c>iat</c>).</summary>
    private static TokenMarks Marks(TokenCheck check)
    {
        var identity = check.Identity!;
        var issuedAt = long.TryParse(identity.FindFirst("iat")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var iat)
            ? DateTimeOffset.FromUnixTimeSeconds(iat)
            : default;
        return new TokenMarks(identity.FindFirst("origin_jti")?.Value, identity.FindFirst("jti")?.Value, issuedAt, check.ExpiresAt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session cookies rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The user pool refused to refresh the session")]
    private static partial void LogRefreshRefused(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session refreshed for user {UserId}")]
    private static partial void LogRefreshed(ILogger logger, string userId);
}
