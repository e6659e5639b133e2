using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Files;
using CleanCognito.Infrastructure.Aws;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.Storage;

/// <summary>
/// <see cref="IUploadStore"/> on S3 multipart uploads with the user's own credentials, through
/// <see cref="UserAwsClients"/> like <see cref="S3FileStore"/>. The bytes never pass through here:
/// the browser PUTs each part to a URL signed here. Every key is <see cref="UserFolder.KeyFor"/>,
/// and S3 binds an upload id to its key, so another user's upload id is 404 <c>NoSuchUpload</c>
/// (docs/decisions/0010-direct-uploads.md). There is no listing of uploads: the role cannot be
/// limited to a prefix for it, so the browser keeps its upload ids.
/// </summary>
internal sealed class S3UploadStore(UserBucket bucket, IOptions<StorageOptions> options) : IUploadStore
{
    private const string GoneMessage = "That upload is not in progress any more: start it again.";

    public Task<string> StartAsync(UserFolder folder, string name, string contentType, CancellationToken cancellationToken) =>
        bucket.CallAsync(folder, "CreateMultipartUpload", async (s3, _, ct) =>
        {
            var response = await s3.InitiateMultipartUploadAsync(
                new InitiateMultipartUploadRequest { BucketName = bucket.Name, Key = folder.KeyFor(name), ContentType = contentType }, ct);
            return response.UploadId;
        }, cancellationToken);

    public Task<IReadOnlyList<PartUrl>> SignPartsAsync(UserFolder folder, string name, string uploadId, int firstPart, int lastPart, CancellationToken cancellationToken) =>
        bucket.CallAsync<IReadOnlyList<PartUrl>>(folder, "PresignUploadPart", async (s3, credentials, _) =>
        {
            var expires = bucket.PresignedUntil(credentials);
            var urls = new List<PartUrl>(lastPart - firstPart + 1);
            for (var part = firstPart; part <= lastPart; part++)
            {
                var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
                {
                    BucketName = bucket.Name,
                    Key = folder.KeyFor(name),
                    Verb = HttpVerb.PUT,
                    UploadId = uploadId,
                    PartNumber = part,
                    Expires = expires.UtcDateTime,
                    Protocol = bucket.PresignProtocol,
                });
                urls.Add(new PartUrl(part, new Uri(url), expires));
            }

            return urls;
        }, cancellationToken);

    public Task<IReadOnlyList<UploadedPart>> ListPartsAsync(UserFolder folder, string name, string uploadId, CancellationToken cancellationToken) =>
        bucket.CallAsync<IReadOnlyList<UploadedPart>>(folder, "ListParts", async (s3, _, ct) =>
        {
            var parts = new List<UploadedPart>();
            int? marker = null;
            do
            {
                ListPartsResponse response;
                try
                {
                    response = await s3.ListPartsAsync(
                        new ListPartsRequest { BucketName = bucket.Name, Key = folder.KeyFor(name), UploadId = uploadId, PartNumberMarker = marker?.ToString(System.Globalization.CultureInfo.InvariantCulture) }, ct);
                }
                catch (AmazonS3Exception ex) when (IsNoSuchUpload(ex))
                {
                    throw new NotFoundException(GoneMessage, ex);
                }

                parts.AddRange((response.Parts ?? []).Select(p => new UploadedPart(p.PartNumber ?? 0, p.ETag, p.Size ?? 0)));
                marker = response.IsTruncated == true ? response.NextPartNumberMarker : null;
            }
            while (marker is not null);
            return parts;
        }, cancellationToken);

    public Task CompleteAsync(UserFolder folder, string name, string uploadId, IReadOnlyList<PartReceipt> parts, bool overwrite, CancellationToken cancellationToken) =>
        bucket.CallAsync(folder, "CompleteMultipartUpload", async (pooled, credentials, ct) =>
        {
            using var s3 = CompletingClient(pooled, credentials, options.Value.CompletionTimeout(parts.Count));
            var request = new CompleteMultipartUploadRequest
            {
                BucketName = bucket.Name,
                Key = folder.KeyFor(name),
                UploadId = uploadId,
                PartETags = parts.Select(p => new PartETag(p.PartNumber, p.ETag)).ToList(),
            };
            if (!overwrite)
            {
                // Atomic on S3: of two completions of one new name, one stores and the other is 412 (docs/decisions/0004).
                request.IfNoneMatch = "*";
            }

            try
            {
                await s3.CompleteMultipartUploadAsync(request, ct);
            }
            catch (AmazonS3Exception ex) when (!overwrite && UserBucket.IsNameTaken(ex))
            {
                throw FileAlreadyExistsException.For(name);
            }
            catch (AmazonS3Exception ex) when (IsNoSuchUpload(ex))
            {
                throw new NotFoundException(GoneMessage, ex);
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.BadRequest && ex.ErrorCode is "InvalidPart" or "InvalidPartOrder" or "EntityTooSmall")
            {
                // The browser's list does not match what S3 holds: its resume can list the parts again.
                throw new ValidationException("Parts", "The uploaded parts do not match the file: upload it again.");
            }

            return true;
        }, cancellationToken, callTimeout: options.Value.CompletionTimeout(parts.Count));

    public Task AbortAsync(UserFolder folder, string name, string uploadId, CancellationToken cancellationToken) =>
        bucket.CallAsync(folder, "AbortMultipartUpload", async (s3, _, ct) =>
        {
            try
            {
                await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket.Name, Key = folder.KeyFor(name), UploadId = uploadId }, ct);
            }
            catch (AmazonS3Exception ex) when (IsNoSuchUpload(ex))
            {
                throw new NotFoundException(GoneMessage, ex);
            }

            return true;
        }, cancellationToken);

    /// <summary>
    /// The pooled client's settings with one attempt of <paramref name="timeout"/> (<see cref="StorageOptions.CompletionTimeout"/>)
    /// and no retry, for one completion (the pooled client's attempt bound is seconds). The same user's keys.
    /// </summary>
    private AmazonS3Client CompletingClient(IAmazonS3 pooled, IdentityCredentials credentials, TimeSpan timeout)
    {
        var shared = (AmazonS3Config)pooled.Config;
        var config = new AmazonS3Config
        {
            RegionEndpoint = shared.RegionEndpoint,
            Timeout = timeout,
            MaxErrorRetry = 0,
        };
        if (!string.IsNullOrWhiteSpace(options.Value.ServiceUrl))
        {
            config.ServiceURL = shared.ServiceURL;
            config.AuthenticationRegion = shared.AuthenticationRegion;
        }

        config.ForcePathStyle = shared.ForcePathStyle;
        return new AmazonS3Client(new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretKey, credentials.SessionToken), config);
    }

    private static bool IsNoSuchUpload(AmazonS3Exception ex) => ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode == "NoSuchUpload";
}
