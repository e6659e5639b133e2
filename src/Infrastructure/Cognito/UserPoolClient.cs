using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.Cognito;

/// <summary><see cref="IUserPoolClient"/> over the user pool domain's <c>/oauth2/token</c> and <c>/oauth2/revoke</c>.</summary>
internal sealed partial class UserPoolClient(
    IUserPoolTokenApi api,
    IOptions<CognitoOptions> options,
    ILogger<UserPoolClient> logger) : IUserPoolClient
{
    private const string ServiceName = "Cognito";

    public async Task<SessionTokens> RedeemCodeAsync(string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken)
    {
        var form = Form(("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectUri));
        if (codeVerifier is not null)
        {
            form["code_verifier"] = codeVerifier;
        }

        return await RequestTokensAsync(form, cancellationToken)
            ?? throw new SignInRequiredException("The sign-in code was not accepted. Please sign in again.");
    }

    public Task<SessionTokens?> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        RequestTokensAsync(Form(("grant_type", "refresh_token"), ("refresh_token", refreshToken)), cancellationToken);

    public async Task RevokeAsync(string refreshToken, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => api.RevokeAsync(Form(("token", refreshToken)), BasicAuthorization(), cancellationToken), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            LogRejected(logger, "revoke", (int)response.StatusCode, await ErrorCodeAsync(response, cancellationToken));
            throw new UpstreamUnavailableException(ServiceName, $"Cognito did not revoke the session (HTTP {(int)response.StatusCode}).");
        }
    }

    /// <summary>Null when Cognito refuses the grant (HTTP 400/401, e.g. <c>invalid_grant</c>): the session is over.</summary>
    private async Task<SessionTokens?> RequestTokensAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => api.TokenAsync(form, BasicAuthorization(), cancellationToken), cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
        {
            LogRejected(logger, form["grant_type"], (int)response.StatusCode, await ErrorCodeAsync(response, cancellationToken));
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            LogRejected(logger, form["grant_type"], (int)response.StatusCode, null);
            throw new UpstreamUnavailableException(ServiceName, $"Cognito answered HTTP {(int)response.StatusCode}.");
        }

        try
        {
            var body = await response.Content.ReadFromJsonAsync(UserPoolJsonContext.Default.TokenEndpointResponse, cancellationToken);
            if (body is not { AccessToken: { } access, IdToken: { } id })
            {
                throw new JsonException("The token response lacks access_token or id_token.");
            }

            return new SessionTokens(access, id, body.RefreshToken, body.ExpiresIn);
        }
        catch (JsonException ex)
        {
            throw new UpstreamUnavailableException(ServiceName, "Cognito sent an answer the app could not read.", ex);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        try
        {
            return await send();
        }
        catch (Exception ex) when (TransportFailure.Is(ex, cancellationToken))
        {
            throw new UpstreamUnavailableException(ServiceName, "Cognito did not answer in time.", ex);
        }
    }

    private Dictionary<string, string> Form(params (string Key, string Value)[] fields)
    {
        var form = fields.ToDictionary(f => f.Key, f => f.Value);
        form["client_id"] = options.Value.ClientId;
        return form;
    }

    /// <summary>Cognito authenticates confidential clients with HTTP Basic (URL-encoded id and secret).</summary>
    private string? BasicAuthorization()
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(o.ClientSecret))
        {
            return null;
        }

        var credentials = $"{Uri.EscapeDataString(o.ClientId)}:{Uri.EscapeDataString(o.ClientSecret)}";
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials))).ToString();
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync(UserPoolJsonContext.Default.TokenEndpointResponse, cancellationToken);
            return body?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cognito refused the {Grant} request: HTTP {StatusCode} {Error}")]
    private static partial void LogRejected(ILogger logger, string grant, int statusCode, string? error);
}
