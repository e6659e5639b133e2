using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Files;
using CleanCognito.Infrastructure.CognitoIdentity;
using CleanCognito.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CleanCognito.Files.Benchmark;

/// <summary>
/// Variant B, the flask-cognito-lib example app's code translated one to one: <c>get_idp_credentials</c> (GetId,
/// then GetCredentialsForIdentity, both on every request) and <c>get_aws_session</c> (a new session,
/// hence a new S3 client, built from those credentials on every request). It goes through the
/// product's own <see cref="ICredentialExchange"/> (the same Refit adapter and resilience handler as
/// variant A), so the difference measured is only what the cache and the client reuse save.
/// </summary>
internal static class FlaskCognitoLibPattern
{
    /// <summary>Replaces the credential cache and the S3 adapter (with its client pool) for one app instance.</summary>
    public static void Use(IServiceCollection services)
    {
        // Scoped: one request = one flask-cognito-lib call of get_idp_credentials, whose result the same
        // request's file store turns into a session, as the flask-cognito-lib app's view function does.
        services.AddScoped<FlaskCognitoLibCredentials>();
        services.Replace(ServiceDescriptor.Scoped<ICredentialCache>(sp => sp.GetRequiredService<FlaskCognitoLibCredentials>()));
        services.Replace(ServiceDescriptor.Scoped<IFileStore, FlaskCognitoLibFileStore>());
    }
}

/// <summary><c>get_idp_credentials</c>: both exchanges every time, nothing kept beyond the request.</summary>
internal sealed class FlaskCognitoLibCredentials(ICredentialExchange exchange) : ICredentialCache
{
    /// <summary>The credentials this request obtained (null before the exchange).</summary>
    public IdentityCredentials? Current { get; private set; }

    public event Action<string>? IdentityEvicted
    {
        add { }
        remove { }
    }

    /// <summary>flask-cognito-lib's one call of <c>get_idp_credentials</c> per request: the handler's folder and the store's credentials share it.</summary>
    public async ValueTask<string> GetIdentityIdAsync(UserTokens tokens, CancellationToken cancellationToken) =>
        (await GetAsync(tokens, cancellationToken)).IdentityId;

    public async ValueTask<IdentityCredentials> GetAsync(UserTokens tokens, CancellationToken cancellationToken)
    {
        if (Current is null)
        {
            var identityId = await exchange.GetIdentityIdAsync(tokens, cancellationToken);
            Current = await exchange.GetCredentialsAsync(identityId, tokens, cancellationToken);
        }

        return Current;
    }

    public ValueTask<IdentityCredentials> GetAsync(UserTokens tokens, string identityId, CancellationToken cancellationToken) =>
        GetAsync(tokens, cancellationToken);

    public Task EvictAsync(string userId, CancellationToken cancellationToken)
    {
        // Nothing is kept, so there is nothing to forget.
        return Task.CompletedTask;
    }
}

/// <summary>
/// <c>get_aws_session(...).client("s3")</c> per request: a new config and a new <see cref="AmazonS3Client"/>
/// with this request's credentials, then the same ListObjectsV2 call as the product's adapter.
/// Only listing is implemented: it is all <c>GET /Files</c> needs (the harness uploads through variant A).
/// </summary>
internal sealed class FlaskCognitoLibFileStore(FlaskCognitoLibCredentials credentials, IOptions<StorageOptions> storage, IOptions<IdentityPoolOptions> identityPool) : IFileStore
{
    public int DefaultPageSize => storage.Value.PageSize;

    public async Task<FilePage> ListAsync(UserFolder folder, int pageSize, string? nextToken, CancellationToken cancellationToken)
    {
        using var client = NewClient(folder);
        var response = await client.ListObjectsV2Async(
            new ListObjectsV2Request
            {
                BucketName = storage.Value.BucketName,
                Prefix = folder.Prefix,
                MaxKeys = pageSize,
                ContinuationToken = nextToken,
            },
            cancellationToken);
        var files = (response.S3Objects ?? [])
            .Select(o => (Object: o, Name: folder.NameOf(o.Key)))
            .Where(x => x.Name is not null)
            .Select(x => new StoredFile(x.Name!, x.Object.Size ?? 0, new DateTimeOffset(DateTime.SpecifyKind(x.Object.LastModified ?? DateTime.UnixEpoch, DateTimeKind.Utc))))
            .ToList();
        return new FilePage(files, response.IsTruncated == true ? response.NextContinuationToken : null);
    }

    public Task<bool> ExistsAsync(UserFolder folder, string name, CancellationToken cancellationToken) => throw NotMeasured();

    public Task UploadAsync(UserFolder folder, string name, Stream content, long length, string contentType, bool overwrite, CancellationToken cancellationToken) => throw NotMeasured();

    public Task<DownloadLink> GetDownloadLinkAsync(UserFolder folder, string name, CancellationToken cancellationToken) => throw NotMeasured();

    public Task DeleteAsync(UserFolder folder, string name, CancellationToken cancellationToken) => throw NotMeasured();

    private static NotSupportedException NotMeasured() => new("The benchmark's flask-cognito-lib variant only lists files.");

    private AmazonS3Client NewClient(UserFolder folder) => NewClient(
        credentials.Current is { } c && c.IdentityId == folder.IdentityId
            ? c
            : throw new SignInRequiredException("No credentials were exchanged in this request."),
        storage.Value,
        identityPool.Value);

    /// <summary>A new S3 client signing with <paramref name="current"/>, configured as the product's pool configures its own.</summary>
    public static AmazonS3Client NewClient(IdentityCredentials current, StorageOptions options, IdentityPoolOptions identityPool)
    {
        var region = string.IsNullOrWhiteSpace(options.Region) ? identityPool.EffectiveRegion : options.Region;
        var config = new AmazonS3Config { RegionEndpoint = RegionEndpoint.GetBySystemName(region) };
        if (!string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region;
        }

        return new AmazonS3Client(new SessionAWSCredentials(current.AccessKeyId, current.SecretKey, current.SessionToken), config);
    }
}
