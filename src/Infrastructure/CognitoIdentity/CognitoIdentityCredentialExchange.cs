using System.Text.Json;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.CognitoIdentity;

/// <summary>
/// <see cref="ICredentialExchange"/> over the identity pool's JSON 1.1 API (no AWS SDK package for
/// Cognito Identity is available). NotAuthorized → sign in again; throttling is retried with
/// jitter by the resilience handler and then, like every other failure, becomes a 503 with the
/// error type logged. Tokens and credentials are never logged.
/// </summary>
/// <remarks>
/// A singleton (the credential cache that uses it is one), so it resolves the typed Refit client
/// per call instead of holding one: the factory can then rotate the handler underneath.
/// </remarks>
internal sealed partial class CognitoIdentityCredentialExchange(
    Func<ICognitoIdentityApi> api,
    IOptions<IdentityPoolOptions> options,
    ILogger<CognitoIdentityCredentialExchange> logger) : ICredentialExchange
{
    private const string ServiceName = "Cognito Identity";

    public async Task<string> GetIdentityIdAsync(UserTokens tokens, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var body = new GetIdRequest(settings.IdentityPoolId, LoginsOf(tokens), string.IsNullOrEmpty(settings.AccountId) ? null : settings.AccountId);
        using var response = await SendAsync("GetId", () => api().GetIdAsync(body, cancellationToken), cancellationToken);
        var answer = await ReadAsync(response, "GetId", CognitoIdentityJsonContext.Default.GetIdResponse, cancellationToken);
        return answer.IdentityId is { Length: > 0 } identityId
            ? identityId
            : throw Unreadable("GetId", new JsonException("IdentityId is missing."));
    }

    public async Task<IdentityCredentials> GetCredentialsAsync(string identityId, UserTokens tokens, CancellationToken cancellationToken)
    {
        var body = new GetCredentialsForIdentityRequest(identityId, LoginsOf(tokens));
        using var response = await SendAsync("GetCredentialsForIdentity", () => api().GetCredentialsForIdentityAsync(body, cancellationToken), cancellationToken);
        var answer = await ReadAsync(response, "GetCredentialsForIdentity", CognitoIdentityJsonContext.Default.GetCredentialsForIdentityResponse, cancellationToken);
        if (answer.Credentials is not { AccessKeyId.Length: > 0, SecretKey.Length: > 0, SessionToken.Length: > 0, Expiration: { } expiration } credentials)
        {
            throw Unreadable("GetCredentialsForIdentity", new JsonException("Credentials are incomplete."));
        }

        return new IdentityCredentials(
            answer.IdentityId ?? identityId,
            credentials.AccessKeyId,
            credentials.SecretKey,
            credentials.SessionToken,
            DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(expiration * 1000)));
    }

    /// <summary>flask-cognito-lib's <c>iss[8:]</c>: the Logins key is the issuer without <c>https://</c>.</summary>
    internal static Dictionary<string, string> LoginsOf(UserTokens tokens)
    {
        var provider = tokens.Issuer.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? tokens.Issuer["https://".Length..] : tokens.Issuer;
        return new Dictionary<string, string>(StringComparer.Ordinal) { [provider.TrimEnd('/')] = tokens.IdToken };
    }

    private async Task<HttpResponseMessage> SendAsync(string operation, Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await send();
        }
        catch (Exception ex) when (TransportFailure.Is(ex, cancellationToken))
        {
            LogTransportFailure(logger, operation, ex.GetType().Name);
            throw new UpstreamUnavailableException(ServiceName, "The identity pool did not answer in time.", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var type = await CognitoIdentityErrors.TypeOfAsync(response, cancellationToken);
            if (type == CognitoIdentityErrors.NotAuthorized)
            {
                LogRefused(logger, operation);
                throw new SignInRequiredException("The identity pool did not accept the session.");
            }

            LogError(logger, operation, (int)response.StatusCode, type ?? "unknown");
            throw new UpstreamUnavailableException(
                ServiceName,
                type == CognitoIdentityErrors.TooManyRequests
                    ? "The identity pool is throttling requests."
                    : $"The identity pool answered HTTP {(int)response.StatusCode} ({type ?? "no error type"}).");
        }
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, string operation, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken)
                ?? throw new JsonException("The response is empty.");
        }
        catch (JsonException ex)
        {
            throw Unreadable(operation, ex);
        }
    }

    private UpstreamUnavailableException Unreadable(string operation, JsonException ex)
    {
        LogUnreadable(logger, operation, ex.GetType().Name);
        return new UpstreamUnavailableException(ServiceName, "The identity pool sent an answer the app could not read.", ex);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The identity pool refused the ID token in {Operation} (NotAuthorizedException)")]
    private static partial void LogRefused(ILogger logger, string operation);

    // Debug: the caller turns it into UpstreamUnavailableException, which the web layer logs once as
    // the Warning of this outage (upstream, kind, correlation id). A Warning here made two per call.
    [LoggerMessage(Level = LogLevel.Debug, Message = "The identity pool answered {Operation} with HTTP {StatusCode}, error type {ErrorType}")]
    private static partial void LogError(ILogger logger, string operation, int statusCode, string errorType);

    // Debug, without the exception: the caller turns it into UpstreamUnavailableException, which the
    // web layer logs once as the Warning of this outage.
    [LoggerMessage(Level = LogLevel.Debug, Message = "The identity pool did not answer {Operation} ({ExceptionType})")]
    private static partial void LogTransportFailure(ILogger logger, string operation, string exceptionType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The identity pool sent an unreadable answer to {Operation} ({ExceptionType})")]
    private static partial void LogUnreadable(ILogger logger, string operation, string exceptionType);
}
