using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Telemetry;

namespace CleanCognito.Infrastructure.Telemetry;

/// <summary>
/// Counts and traces every call to the identity pool (<c>cleancognito.identity_pool.calls</c>, span
/// "cognito-identity GetId" / "… GetCredentialsForIdentity"), around whichever
/// <see cref="ICredentialExchange"/> does the calling. A decorator, so the adapter stays about the wire.
/// </summary>
internal sealed class InstrumentedCredentialExchange(ICredentialExchange inner, AppMetrics metrics) : ICredentialExchange
{
    private const string Service = "CognitoIdentity";

    public Task<string> GetIdentityIdAsync(UserTokens tokens, CancellationToken cancellationToken) =>
        MeasureAsync("GetId", () => inner.GetIdentityIdAsync(tokens, cancellationToken));

    public Task<IdentityCredentials> GetCredentialsAsync(string identityId, UserTokens tokens, CancellationToken cancellationToken) =>
        MeasureAsync("GetCredentialsForIdentity", () => inner.GetCredentialsAsync(identityId, tokens, cancellationToken));

    private async Task<T> MeasureAsync<T>(string operation, Func<Task<T>> call)
    {
        using var span = UpstreamSpan.Start($"cognito-identity {operation}", Service, operation);
        try
        {
            var result = await call();
            metrics.IdentityPoolCall(operation, AppMetrics.Outcomes.Success);
            UpstreamSpan.End(span, AppMetrics.Outcomes.Success);
            return result;
        }
        catch (Exception ex)
        {
            var outcome = AppMetrics.Outcomes.Of(ex);
            metrics.IdentityPoolCall(operation, outcome);
            UpstreamSpan.End(span, outcome, ex);
            throw;
        }
    }
}
