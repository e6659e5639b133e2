using System.Net;
using Amazon.S3;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Files;
using CleanCognito.Infrastructure.Aws;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.Storage;

/// <summary>
/// What <see cref="S3FileStore"/> and <see cref="S3UploadStore"/> share: the current user's S3 client
/// through the one factory (bounds, error mapping, refused keys replaced once) after checking the
/// folder is that user's, how long a presigned URL may live, and S3's answers both read the same way.
/// </summary>
internal sealed class UserBucket(UserAwsClients aws, IOptions<StorageOptions> options, TimeProvider time)
{
    // The SDK writes a URL's lifetime in whole seconds from a signing time cut to the second, so a
    // URL ending exactly at the credentials' expiry could be stated a second longer.
    private static readonly TimeSpan PresignRounding = TimeSpan.FromSeconds(1);

    public string Name => options.Value.BucketName;

    /// <summary>Plain http only for the local stand-in's endpoint: presigned URLs must say which.</summary>
    public Protocol PresignProtocol =>
        options.Value.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS;

    /// <summary>
    /// When a URL signed now with <paramref name="credentials"/> stops working: <c>Storage:PresignedUrlMinutes</c>
    /// from now, never past the credentials' expiry (S3 refuses an expired session token, so never say it lives longer).
    /// </summary>
    public DateTimeOffset PresignedUntil(IdentityCredentials credentials)
    {
        var wanted = time.GetUtcNow().AddMinutes(options.Value.PresignedUrlMinutes);
        var latest = credentials.Expiration - PresignRounding;
        return wanted < latest ? wanted : latest;
    }

    /// <summary>
    /// 412 PreconditionFailed: the key exists. 409 ConditionalRequestConflict: another conditional
    /// write of the key is in flight — it will exist, so the answer to this user is the same.
    /// </summary>
    public static bool IsNameTaken(AmazonS3Exception ex) =>
        ex.StatusCode == HttpStatusCode.PreconditionFailed
        || (ex.StatusCode == HttpStatusCode.Conflict && ex.ErrorCode == "ConditionalRequestConflict");

    /// <summary>Runs <paramref name="call"/> with the current user's client, once the folder is known to be theirs.</summary>
    public Task<T> CallAsync<T>(
        UserFolder folder,
        string operation,
        Func<IAmazonS3, IdentityCredentials, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken,
        bool retryable = true,
        TimeSpan? callTimeout = null) =>
        aws.CallAsync<AmazonS3Client, T>(operation, (user, ct) =>
        {
            if (user.IdentityId != folder.IdentityId)
            {
                // Only a programming error gets here (handlers take the folder from the same identity);
                // S3's policy would refuse it too.
                throw new ForbiddenAccessException("That folder belongs to another user.");
            }

            return call(user.Client, user.Credentials, ct);
        }, cancellationToken, retryable, callTimeout);
}
