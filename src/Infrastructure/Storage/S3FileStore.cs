using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Telemetry;
using CleanCognito.Domain.Files;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.Storage;

/// <summary>
/// <see cref="IFileStore"/> on S3 with the user's own identity pool credentials, so the bucket
/// policy (<c>private/${cognito-identity.amazonaws.com:sub}/*</c>) is enforced by AWS as well as here.
/// Scoped: every call first asks <see cref="ICurrentIdentity"/> for the current user's credentials
/// (cached, single-flight), so it works whether or not anything asked before it.
/// </summary>
internal sealed partial class S3FileStore(
    S3ClientPool clients,
    ICurrentIdentity identity,
    IOptions<StorageOptions> options,
    TimeProvider time,
    AppMetrics metrics,
    ILogger<S3FileStore> logger) : IFileStore
{
    private const string ServiceName = "file storage";

    private static readonly TimeSpan PresignRounding = TimeSpan.FromSeconds(1);

    public int DefaultPageSize => options.Value.PageSize;

    public Task<FilePage> ListAsync(UserFolder folder, int pageSize, string? nextToken, CancellationToken cancellationToken) =>
        CallAsync(folder, "ListObjectsV2", async (s3, _, ct) =>
        {
            var request = new ListObjectsV2Request
            {
                BucketName = options.Value.BucketName,
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
        CallAsync(folder, "ListObjectsV2", async (s3, _, ct) =>
        {
            // Not HeadObject: under the role's policy S3 answers a HEAD of a missing key with 403, not
            // 404 (a HEAD carries no s3:prefix, so the prefix-conditioned ListBucket grant does not
            // apply). A listing with the exact key as prefix is allowed, and the key itself sorts
            // first among the keys it prefixes, so one key answers.
            var key = folder.KeyFor(name);
            var response = await s3.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = options.Value.BucketName, Prefix = key, MaxKeys = 1 }, ct);
            return response.S3Objects?.FirstOrDefault()?.Key == key;
        }, cancellationToken);

    public Task UploadAsync(UserFolder folder, string name, Stream content, long length, string contentType, bool overwrite, CancellationToken cancellationToken) =>
        CallAsync(folder, "PutObject", async (s3, _, ct) =>
        {
            // One PutObject streams the body as it is read (chunked SigV4 signing needs no
            // buffering); its 5 GB limit is far above MaxUploadBytes, so multipart is not needed.
            var request = new PutObjectRequest
            {
                BucketName = options.Value.BucketName,
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
            catch (AmazonS3Exception ex) when (!overwrite && IsNameTaken(ex))
            {
                throw FileAlreadyExistsException.For(name);
            }

            metrics.Uploaded(length);
            return true;
        }, cancellationToken);

    /// <summary>
    /// 412 PreconditionFailed: the key exists. 409 ConditionalRequestConflict: another conditional
    /// write of the key is in flight — it will exist, so the answer to this user is the same.
    /// </summary>
    private static bool IsNameTaken(AmazonS3Exception ex) =>
        ex.StatusCode == HttpStatusCode.PreconditionFailed
        || (ex.StatusCode == HttpStatusCode.Conflict && ex.ErrorCode == "ConditionalRequestConflict");

    public Task<DownloadLink> GetDownloadLinkAsync(UserFolder folder, string name, CancellationToken cancellationToken) =>
        CallAsync(folder, "PresignGetObject", async (s3, credentials, ct) =>
        {
            // A presigned URL is made offline and would "work" for a missing file until S3 says 404
            // in the browser: check first, so the page can say so.
            if (!await ExistsAsync(folder, name, ct))
            {
                throw NotFoundException.For("File", name);
            }

            // The client signs with these credentials or a set that expires later (IdentityPoolAwsCredentials).
            // The SDK writes the lifetime in whole seconds from a signing time cut to the second, so
            // a URL ending exactly at the credentials' expiry could be stated a second longer.
            var wanted = time.GetUtcNow().AddMinutes(options.Value.PresignedUrlMinutes);
            var latest = credentials.Expiration - PresignRounding;
            var expires = wanted < latest ? wanted : latest;

            var request = new GetPreSignedUrlRequest
            {
                BucketName = options.Value.BucketName,
                Key = folder.KeyFor(name),
                Verb = HttpVerb.GET,
                Expires = expires.UtcDateTime,
                Protocol = clients.IsHttp ? Protocol.HTTP : Protocol.HTTPS,
            };
            request.ResponseHeaderOverrides.ContentDisposition = ContentDisposition(name);
            var url = await s3.GetPreSignedURLAsync(request);
            return new DownloadLink(new Uri(url), expires);
        }, cancellationToken);

    public Task DeleteAsync(UserFolder folder, string name, CancellationToken cancellationToken) =>
        CallAsync(folder, "DeleteObject", async (s3, _, ct) =>
        {
            await s3.DeleteObjectAsync(options.Value.BucketName, folder.KeyFor(name), ct);
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

    /// <summary>
    /// The current user's credentials and client, then one bound and one translation of S3
    /// failures: the call, retries included, gets <c>Storage:TimeoutSeconds</c>; the user's own
    /// problems pass through; the rest is a 503 with the error code logged.
    /// </summary>
    private async Task<T> CallAsync<T>(UserFolder folder, string operation, Func<IAmazonS3, IdentityCredentials, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        // Outside the S3 bound: the identity pool adapter bounds its own calls and reports its own failures.
        var credentials = await identity.GetCredentialsAsync(cancellationToken);
        if (credentials.IdentityId != folder.IdentityId)
        {
            // Only a programming error gets here (handlers take the folder from the same identity);
            // S3's policy would refuse it too.
            throw new ForbiddenAccessException("That folder belongs to another user.");
        }

        var s3 = clients.ClientFor(credentials);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        try
        {
            return await call(s3, credentials, bounded.Token);
        }
        catch (AmazonServiceException ex) when (ex is AmazonS3Exception || ex.InnerException is HttpRequestException or IOException or OperationCanceledException or TimeoutException)
        {
            LogS3Failure(logger, ex, operation, (int)ex.StatusCode, ex.ErrorCode ?? "none");
            throw new UpstreamUnavailableException(ServiceName, "File storage did not complete the request.", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogS3Failure(logger, ex, operation, 0, ex.GetType().Name);
            throw new UpstreamUnavailableException(ServiceName, "File storage did not answer in time.", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "S3 {Operation} failed: HTTP {StatusCode}, error code {ErrorCode}")]
    private static partial void LogS3Failure(ILogger logger, Exception exception, string operation, int statusCode, string errorCode);
}
