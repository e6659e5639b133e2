using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace CleanCognito.Infrastructure.AppSync;

/// <summary>The AppSync GraphQL endpoint. The base address is the full <c>/graphql</c> URL.</summary>
internal interface IAppSyncApi
{
    /// <remarks><c>Authorization</c> is set by <see cref="AppSyncAuthorizationHandler"/>, which also renews it on a 401.</remarks>
    /// <param name="isMutation">Read by the retry policy: mutations must never be sent twice.</param>
    [Post("")]
    Task<HttpResponseMessage> PostAsync(
        [Body] AppSyncRequest body,
        [Property(AppSyncRequestOptions.IsMutation)] bool isMutation,
        CancellationToken cancellationToken);
}

internal static class AppSyncRequestOptions
{
    public const string IsMutation = "CleanCognito.AppSync.IsMutation";
}

/// <summary>The body AppSync expects; values travel in <see cref="Variables"/>.</summary>
internal sealed record AppSyncRequest(
    [property: JsonPropertyName("query")] string Query,
    [property: JsonPropertyName("variables")] JsonElement Variables,
    [property: JsonPropertyName("operationName")] string OperationName);

[JsonSerializable(typeof(AppSyncRequest))]
internal sealed partial class AppSyncJsonContext : JsonSerializerContext;
