using Amazon;
using Amazon.Runtime;

namespace CleanCognito.Infrastructure.Aws;

/// <summary>
/// One registered AWS service, as <see cref="AwsClientPool"/> and <see cref="UserAwsClients"/> use it:
/// how to build its client for a set of credentials (region resolved once, endpoint, attempt
/// timeout, the service's own config hook) and how long one call may take. Made once, at the first
/// call, from the service's options (<see cref="AwsServiceCollectionExtensions.AddUserAwsService{TClient, TConfig, TOptions}"/>).
/// </summary>
internal sealed class AwsService<TClient>(string name, RegionEndpoint region, TimeSpan callTimeout, Func<AWSCredentials, TClient> create)
    where TClient : AmazonServiceClient
{
    /// <summary>The service in a user's words ("file storage", "notes"): the 503 page and the log name it.</summary>
    public string Name { get; } = name;

    public RegionEndpoint Region { get; } = region;

    /// <summary>One call, the SDK's retries included.</summary>
    public TimeSpan CallTimeout { get; } = callTimeout;

    public TClient CreateClient(AWSCredentials credentials) => create(credentials);
}
