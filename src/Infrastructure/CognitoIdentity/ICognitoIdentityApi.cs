using System.Text.Json.Serialization;
using Refit;

namespace CleanCognito.Infrastructure.CognitoIdentity;

/// <summary>
/// The two public (unsigned) operations of the Cognito Identity JSON 1.1 API. Every operation is a
/// POST to the service root; <c>X-Amz-Target</c> names it. Responses are read by the adapter,
/// which needs the status and the error type of failures.
/// </summary>
internal interface ICognitoIdentityApi
{
    [Post("/")]
    [Headers("Content-Type: " + CognitoIdentityWire.ContentType, "X-Amz-Target: " + CognitoIdentityWire.GetIdTarget)]
    Task<HttpResponseMessage> GetIdAsync([Body] GetIdRequest body, CancellationToken cancellationToken);

    [Post("/")]
    [Headers("Content-Type: " + CognitoIdentityWire.ContentType, "X-Amz-Target: " + CognitoIdentityWire.GetCredentialsTarget)]
    Task<HttpResponseMessage> GetCredentialsForIdentityAsync([Body] GetCredentialsForIdentityRequest body, CancellationToken cancellationToken);
}

internal static class CognitoIdentityWire
{
    public const string ContentType = "application/x-amz-json-1.1";
    public const string GetIdTarget = "AWSCognitoIdentityService.GetId";
    public const string GetCredentialsTarget = "AWSCognitoIdentityService.GetCredentialsForIdentity";
}

internal sealed record GetIdRequest(
    [property: JsonPropertyName("IdentityPoolId")] string IdentityPoolId,
    [property: JsonPropertyName("Logins")] IReadOnlyDictionary<string, string> Logins,
    [property: JsonPropertyName("AccountId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AccountId);

internal sealed record GetIdResponse([property: JsonPropertyName("IdentityId")] string? IdentityId);

internal sealed record GetCredentialsForIdentityRequest(
    [property: JsonPropertyName("IdentityId")] string IdentityId,
    [property: JsonPropertyName("Logins")] IReadOnlyDictionary<string, string> Logins);

internal sealed record GetCredentialsForIdentityResponse(
    [property: JsonPropertyName("IdentityId")] string? IdentityId,
    [property: JsonPropertyName("Credentials")] WireCredentials? Credentials);

/// <summary>Note <c>SecretKey</c> (not SecretAccessKey) and <c>Expiration</c> in fractional epoch seconds.</summary>
internal sealed record WireCredentials(
    [property: JsonPropertyName("AccessKeyId")] string? AccessKeyId,
    [property: JsonPropertyName("SecretKey")] string? SecretKey,
    [property: JsonPropertyName("SessionToken")] string? SessionToken,
    [property: JsonPropertyName("Expiration")] double? Expiration);

internal sealed record WireError(
    [property: JsonPropertyName("__type")] string? Type,
    [property: JsonPropertyName("message")] string? Message);

[JsonSerializable(typeof(GetIdRequest))]
[JsonSerializable(typeof(GetIdResponse))]
[JsonSerializable(typeof(GetCredentialsForIdentityRequest))]
[JsonSerializable(typeof(GetCredentialsForIdentityResponse))]
[JsonSerializable(typeof(WireError))]
internal sealed partial class CognitoIdentityJsonContext : JsonSerializerContext;
