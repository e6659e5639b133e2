using System.Text.Json.Serialization;
using Refit;

namespace CleanCognito.Infrastructure.Cognito;

/// <summary>The user pool domain's OAuth endpoints (form-encoded requests, JSON answers).</summary>
internal interface IUserPoolTokenApi
{
    /// <param name="authorization">HTTP Basic for confidential clients; null (no header) for public ones.</param>
    [Post("/oauth2/token")]
    Task<HttpResponseMessage> TokenAsync(
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form,
        [Header("Authorization")] string? authorization,
        CancellationToken cancellationToken);

    [Post("/oauth2/revoke")]
    Task<HttpResponseMessage> RevokeAsync(
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form,
        [Header("Authorization")] string? authorization,
        CancellationToken cancellationToken);
}

internal sealed record TokenEndpointResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("id_token")] string? IdToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("error")] string? Error);

[JsonSerializable(typeof(TokenEndpointResponse))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class UserPoolJsonContext : JsonSerializerContext;
