using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Telemetry;

namespace CleanCognito.Infrastructure.Telemetry;

/// <summary>
/// Traces every call to the user pool's token endpoint through <see cref="UpstreamCall"/>, like every
/// other upstream (spans "cognito-idp authorization_code", "cognito-idp refresh", "cognito-idp revoke"),
/// and counts each refresh-token grant that reaches the pool (<c>cleancognito.session.refreshes</c>):
/// the single-flight in front of it decides how many do, this counts them.
/// </summary>
internal sealed class InstrumentedUserPoolClient(IUserPoolClient inner, AppMetrics metrics) : IUserPoolClient
{
    public Task<SessionTokens> RedeemCodeAsync(string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken) =>
        UpstreamCall.RunAsync(metrics, UpstreamName.UserPool, "authorization_code", () => inner.RedeemCodeAsync(code, redirectUri, codeVerifier, cancellationToken));

    public Task RevokeAsync(string refreshToken, CancellationToken cancellationToken) =>
        UpstreamCall.RunAsync(metrics, UpstreamName.UserPool, "revoke", () => inner.RevokeAsync(refreshToken, cancellationToken));

    // Null: the pool refused the refresh token (the session is over), which is an answer, not a failure of the pool.
    public Task<SessionTokens?> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        UpstreamCall.RunAsync(
            metrics,
            UpstreamName.UserPool,
            AppMetrics.Upstreams.Refresh,
            () => inner.RefreshAsync(refreshToken, cancellationToken),
            tokens => tokens is null ? AppMetrics.Outcomes.Refused : AppMetrics.Outcomes.Success);
}
