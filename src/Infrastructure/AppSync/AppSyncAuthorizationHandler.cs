using System.Net;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Infrastructure.AppSync;

/// <summary>
/// Puts the user's access token on every AppSync request and, on a 401, renews the session once and
/// resends once (Duende.AccessTokenManagement's <c>OpenIdConnectUserAccessTokenHandler</c> shape).
/// The renewal goes through <see cref="ICurrentUserTokens.RefreshAsync"/>: it replaces the tokens the
/// request holds (one refresh per session however many calls ask) and never writes to the response,
/// so several calls may be in flight at once.
/// <para>
/// Resending a mutation after a 401 is safe: AppSync answers HTTP 401 only when it or the
/// authorization mode refused the request (token missing, invalid, expired), before any resolver
/// ran; a resolver's own refusal is a 200 with an <c>Unauthorized</c> error in <c>errors[]</c>
/// (AWS re:Post, "aws-appsync-graphql-request-unauth-error"). Timeouts and 5xx, where a mutation may
/// have run, are the retry policy's, which never resends a mutation.
/// </para>
/// <para>
/// The HTTP client factory builds this handler in a scope of its own that outlives requests, so
/// <see cref="ICurrentUserTokens"/> must find the current request itself (the Web implementation
/// reads it through <c>IHttpContextAccessor</c>), never hold a request's tokens in a field.
/// </para>
/// </summary>
internal sealed class AppSyncAuthorizationHandler(ICurrentUserTokens tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string sent;
        try
        {
            sent = tokens.GetTokens().AccessToken;
        }
        catch (SignInRequiredException)
        {
            // No session: AppSync would refuse it, so answer as it would without the round trip.
            return new HttpResponseMessage(HttpStatusCode.Unauthorized) { RequestMessage = request };
        }

        Authorize(request, sent);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        // Another call of this request may have renewed the session while this one was in flight:
        // take its tokens rather than refresh again. Otherwise renew (shared per session).
        var current = tokens.GetTokens().AccessToken;
        var renewed = current != sent ? current : (await tokens.RefreshAsync(cancellationToken))?.AccessToken;
        if (renewed is null)
        {
            // The session cannot be renewed: the adapter reads the 401 as "sign in again".
            return response;
        }

        response.Dispose();
        Authorize(request, renewed);
        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>The raw access token: AppSync's user-pool mode takes no <c>Bearer</c> prefix.</summary>
    private static void Authorize(HttpRequestMessage request, string accessToken)
    {
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", accessToken);
    }
}
