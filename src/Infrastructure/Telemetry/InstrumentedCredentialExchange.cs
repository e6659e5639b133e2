using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Telemetry;

namespace CleanCognito.Infrastructure.Telemetry;

/// <summary>
/// Counts and traces every call to the identity pool (<c>cleancognito.identity_pool.calls</c>, span
/// "cognito-identity GetId" / "… GetCredentialsForIdentity"), around whichever
/// <see cref="ICredentialExchange"/> does the calling, through <see cref="UpstreamCall"/> like every
/// other upstream. A decorator, so the adapter stays about the wire.
/// </summary>
internal sealed class InstrumentedCredentialExchange(ICredentialExchange inner, AppMetrics metrics) : ICredentialExchange
{
    public Task<string> GetIdentityIdAsync(UserTokens tokens, CancellationToken cancellationToken) =>
        UpstreamCall.RunAsync(metrics, UpstreamName.IdentityPool, "GetId", () => inner.GetIdentityIdAsync(tokens, cancellationToken));

    public Task<IdentityCredentials> GetCredentialsAsync(string identityId, UserTokens tokens, CancellationToken cancellationToken) =>
        UpstreamCall.RunAsync(metrics, UpstreamName.IdentityPool, "GetCredentialsForIdentity", () => inner.GetCredentialsAsync(identityId, tokens, cancellationToken));
}
