using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.S3Front;

/// <summary>
/// A multipart upload as the product does it: the SDK (the app's side, with the user's identity-pool
/// credentials) starts and completes it and presigns each part's PUT; the parts go to the S3 front as
/// a browser sends them, a plain PUT from the page's origin with no other header.
/// </summary>
internal static class PartUpload
{
    /// <summary>An origin the stand-in's CORS rules allow by default (http://127.0.0.1:*): the app's pages.</summary>
    public static readonly string AppOrigin = $"http://127.0.0.1:{FreePort.Pick()}";

    public sealed record PartResponse(HttpStatusCode Status, string? ETag, string Body, HttpResponseMessage Message);

    public static async Task<string> StartAsync(IAmazonS3 s3, string bucket, string key) =>
        (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key })).UploadId;

    public static async Task<Uri> PresignPartAsync(IAmazonS3 s3, string bucket, string key, string uploadId, int partNumber, TimeSpan? lifetime = null) =>
        new(await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = key,
            Verb = HttpVerb.PUT,
            UploadId = uploadId,
            PartNumber = partNumber,
            Expires = DateTime.UtcNow + (lifetime ?? TimeSpan.FromMinutes(15)),
            Protocol = Protocol.HTTP,
        }));

    /// <summary>PUTs one part to its presigned URL as a browser's fetch does: an Origin, the bytes, no Content-Type.</summary>
    public static async Task<PartResponse> PutAsync(HttpClient http, Uri url, byte[] bytes, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(bytes) };
        request.Headers.Add("Origin", origin ?? AppOrigin);
        var response = await http.SendAsync(request);
        var etag = response.Headers.TryGetValues("ETag", out var values) ? values.Single() : null;
        return new PartResponse(response.StatusCode, etag, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Presigns and PUTs one part; the part's ETag.</summary>
    public static async Task<string> SendPartAsync(HttpClient http, IAmazonS3 s3, string bucket, string key, string uploadId, int partNumber, byte[] bytes)
    {
        var response = await PutAsync(http, await PresignPartAsync(s3, bucket, key, uploadId, partNumber), bytes);
        using (response.Message)
        {
            response.Status.Should().Be(HttpStatusCode.OK, response.Body);
            response.ETag.Should().NotBeNullOrEmpty();
            return response.ETag!;
        }
    }

    public static Task<CompleteMultipartUploadResponse> CompleteAsync(IAmazonS3 s3, string bucket, string key, string uploadId, IEnumerable<(int Number, string ETag)> parts, bool onlyIfNew = true) =>
        s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = uploadId,
            PartETags = parts.Select(p => new PartETag(p.Number, p.ETag)).ToList(),
            IfNoneMatch = onlyIfNew ? "*" : null,
        });

    public static async Task<string> ReadAsync(IAmazonS3 s3, string bucket, string key)
    {
        using var response = await s3.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }
}
