using CleanCognito.Application.Common.Telemetry;

namespace CleanCognito.Infrastructure.Telemetry;

/// <summary>
/// An upstream as telemetry names it: <see cref="Name"/> starts its spans and tags its counts
/// (<see cref="AppMetrics.Upstreams"/>), <see cref="RpcService"/> is the span's <c>rpc.service</c>.
/// </summary>
internal sealed record UpstreamName(string Name, string RpcService)
{
    public static readonly UpstreamName AppSync = new(AppMetrics.Upstreams.AppSync, "AppSync");

    public static readonly UpstreamName UserPool = new(AppMetrics.Upstreams.UserPool, "CognitoIdentityProvider");

    public static readonly UpstreamName IdentityPool = new(AppMetrics.Upstreams.IdentityPool, "CognitoIdentity");

    /// <summary>An AWS service called with the user's credentials, named after its SDK client: <c>AmazonS3Client</c> → <c>s3</c>, <c>AmazonDynamoDBClient</c> → <c>dynamodb</c>.</summary>
    public static UpstreamName OfAwsClient(Type client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var service = client.Name;
        if (service.StartsWith("Amazon", StringComparison.Ordinal))
        {
            service = service["Amazon".Length..];
        }

        if (service.EndsWith("Client", StringComparison.Ordinal))
        {
            service = service[..^"Client".Length];
        }

        return new UpstreamName(service.ToLowerInvariant(), service);
    }
}
