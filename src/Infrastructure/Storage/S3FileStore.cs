using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Telemetry;
using CleanCognito.Domain.Files;
using CleanCognito.Infrastructure.Aws;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.Storage;

/// <summary>
/// <see cref="IFileStore"/> on S3 with the user's own identity pool credentials, so the bucket
/// policy (<c>private/${cognito-identity.amazonaws.com:sub}/*</c>) is enforced by AWS as well as here.
/// Scoped: every call goes through <see cref="UserAwsClients"/> (the current user's credentials and
/// client, the bounds and the error mapping every AWS service shares), so it works whether or not
/// anything asked before it.
/// </summary>
internal sealed class S3FileStore(
    UserBucket bucket,
    IOptions<StorageOptions> options,
    AppMetrics metrics) : IFileStore
{
    /// <summary>The service in a user's words, on the 503 page and in the log.</summary>
    public const string ServiceName = "file storage";

    public int DefaultPageSize => options.Value.PageSize;

    public Task<FilePage> ListAsync(UserFolder folder, int pageSize, string? nextToken, CancellationToken cancellationToken) =>
        bucket.CallAsync(folder, "ListObjectsV2", async (s3, _, ct) =>
        {
            var request = new ListObjectsV2Request
            {
                BucketName = bucket.Name,
                Prefix = folder.Prefix,
                MaxKeys = pageSize,
                ContinuationToken = nextToken,
            };
            ListObjectsV2Response response;
            try
            {
                response = await s3.ListObjectsV2Async(request, ct);
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.BadRequest && nextToken is not null)
            {
                // An old or edited page link: the user can start again from the first page.
                throw new ValidationException("NextToken", "That page link is not valid any more.");
            }

            var files = (response.S3Objects ?? [])
                .Select(o => (Object: o, Name: folder.NameOf(o.Key)))
                .Where(x => x.Name is not null)
                .Select(x => new StoredFile(x.Name!, x.Object.Size ?? 0, ToOffset(x.Object.LastModified)))
                .ToList();
            return new FilePage(files, response.IsTruncated == true ? response.NextContinuationToken : null);
        }, cancellationToken);

    public Task<bool> ExistsAsync(UserFolder folder, string name, CancellationToken cancellationToken) =>
        bucket.CallAsync(folder, "ListObjectsV2", async (s3, _, ct) =>
        {
            // Not HeadObject: under the role's policy S3 answers a HEAD of a missing key with 403, not
            // 404 (a HEAD carries no s3:prefix, so the prefix-conditioned ListBucket grant does not
            // apply). A listing with the exact key as prefix is allowed, and the key itself sorts
            // first among the keys it prefixes, so one key answers.
            var key = folder.KeyFor(name);
            var response = await s3.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = bucket.Name, Prefix = key, MaxKeys = 1 }, ct);
            return response.S3Objects?.FirstOrDefault()?.Key == key;
        }, cancellationToken);

    public Task UploadAsync(UserFolder folder, string name, Stream content, long length, string contentType, bool overwrite, CancellationToken cancellationToken)
    {
        // Sent again after refused keys only if the body can be read again from where it started.
        var start = content.CanSeek ? content.Position : -1;
        return bucket.CallAsync(folder, "PutObject", async (s3, _, ct) =>
        {
            if (start >= 0)
            {
                content.Position = start;
            }

            // One PutObject streams the body as it is read (chunked SigV4 signing needs no
            // buffering); its 5 GB limit is far above MaxUploadBytes, so multipart is not needed.
            var request = new PutObjectRequest
            {
                BucketName = bucket.Name,
                Key = folder.KeyFor(name),
                InputStream = content,
                AutoCloseStream = false,
                ContentType = contentType,
            };
            request.Headers.ContentLength = length;
            if (!overwrite)
            {
                // S3's conditional write: the write itself fails if the key exists, atomically, so
                // two uploads of one new name store exactly one (docs/decisions/0004).
                request.IfNoneMatch = "*";
            }

            try
            {
                await s3.PutObjectAsync(request, ct);
            }
            catch (AmazonS3Exception ex) when (!overwrite && UserBucket.IsNameTaken(ex))
            {
                throw FileAlreadyExistsException.For(name);
            }

            metrics.Uploaded(length);
            return true;
        }, cancellationToken, retryable: start >= 0);
    }

    public Task<DownloadLink> GetDownloadLinkAsync(UserFolder folder, string name, CancellationToken cancellationToken) =>
        bucket.CallAsync(folder, "PresignGetObject", async (s3, credentials, ct) =>
        {
            // A presigned URL is made offline and would "work" for a missing file until S3 says 404
            // in the browser: check first, so the page can say so.
            if (!await ExistsAsync(folder, name, ct))
            {
                throw NotFoundException.For("File", name);
            }

            // The client signs with these credentials or a set that expires later (IdentityPoolAwsCredentials).
            var expires = bucket.PresignedUntil(credentials);

            var request = new GetPreSignedUrlRequest
            {
                BucketName = bucket.Name,
                Key = folder.KeyFor(name),
                Verb = HttpVerb.GET,
                Expires = expires.UtcDateTime,
                Protocol = bucket.PresignProtocol,
            };
            request.ResponseHeaderOverrides.ContentDisposition = ContentDisposition(name);
            var url = await s3.GetPreSignedURLAsync(request);
            return new DownloadLink(new Uri(url), expires);
        }, cancellationToken);

    public Task DeleteAsync(UserFolder folder, string name, CancellationToken cancellationToken) =>
        bucket.CallAsync(folder, "DeleteObject", async (s3, _, ct) =>
        {
            await s3.DeleteObjectAsync(bucket.Name, folder.KeyFor(name), ct);
            return true;
        }, cancellationToken);

    /// <summary>
    /// <c>attachment; filename="ascii"; filename*=UTF-8''percent-encoded</c> (RFC 6266/5987): the
    /// last path segment of the name, with an ASCII fallback for old clients.
    /// </summary>
    internal static string ContentDisposition(string name)
    {
        var fileName = name[(name.LastIndexOf('/') + 1)..];
        var ascii = new string(fileName.Select(c => c is >= ' ' and < (char)127 and not '"' and not '\\' and not '%' ? c : '_').ToArray());
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(fileName))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '&' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~')
            {
                encoded.Append(c);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return $"attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}";
    }

    private static DateTimeOffset ToOffset(DateTime? value) =>
        value is { } v ? new DateTimeOffset(v.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : v.ToUniversalTime()) : DateTimeOffset.UnixEpoch;

}
