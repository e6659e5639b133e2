using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Telemetry;

namespace CleanCognito.Infrastructure.Telemetry;

/// <summary>
/// Counts and traces each refresh-token grant that reaches the user pool (<c>cleancognito.session.refreshes</c>,
/// span "cognito-idp refresh"): the single-flight in front of it decides how many do, this counts them.
/// Sign-in and revoke pass through (the HTTP span of the token endpoint covers them).
/// </summary>
internal sealed class InstrumentedUserPoolClient(IUserPoolClient inner, AppMetrics metrics) : IUserPoolClient
{
    public Task<SessionTokens> RedeemCodeAsync(string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken) =>
        inner.RedeemCodeAsync(code, redirectUri, codeVerifier, cancellationToken);

    public Task RevokeAsync(string refreshToken, CancellationToken cancellationToken) =>
        inner.RevokeAsync(refreshToken, cancellationToken);

    public async Task<SessionTokens?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        using var span = UpstreamSpan.Start("cognito-idp refresh", "CognitoIdentityProvider", "refresh_token");
        try
        {
            // Null: the pool refused the refresh token (the session is over), which is not a failure of the pool.
            var tokens = await inner.RefreshAsync(refreshToken, cancellationToken);
            var outcome = tokens is null ? AppMetrics.Outcomes.Refused : AppMetrics.Outcomes.Success;
            metrics.Refresh(outcome);
            UpstreamSpan.End(span, outcome);
            return tokens;
        }
        catch (Exception ex)
        {
            var outcome = AppMetrics.Outcomes.Of(ex);
            metrics.Refresh(outcome);
            UpstreamSpan.End(span, outcome, ex);
            throw;
        }
    }
}
