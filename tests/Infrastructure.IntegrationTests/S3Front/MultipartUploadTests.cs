using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3.Model;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.S3Front;

/// <summary>
/// Direct multipart uploads through the S3 front with alice's real identity-pool credentials: the
/// parts go to presigned URLs from the page's origin, completion is conditional (If-None-Match: *),
/// abort leaves nothing, and presigned part URLs expire with themselves and with their credentials.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class MultipartUploadTests(LocalAwsStack stack) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    // One client for the class's tests, as a browser keeps its connections.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private StorageUser _alice = null!;

    public async Task InitializeAsync() => _alice = await StorageUser.SignInAsync(stack, stack.Alice);

    public Task DisposeAsync()
    {
        _alice.Dispose();
        return Task.CompletedTask;
    }

    private string NewKey(string what) => $"{_alice.Folder}{what}-{Guid.NewGuid():N}.bin";

    [Fact]
    public async Task Parts_put_to_presigned_urls_from_the_page_make_the_file_and_expose_their_ETag()
    {
        var key = NewKey("multipart");
        var first = RandomNumberGenerator.GetBytes(5 * 1024 * 1024); // S3's smallest part that is not the last
        var last = RandomNumberGenerator.GetBytes(1234);
        var uploadId = await PartUpload.StartAsync(_alice.S3, stack.Bucket, key);

        var one = await PartUpload.PutAsync(Http, await PartUpload.PresignPartAsync(_alice.S3, stack.Bucket, key, uploadId, 1), first);
        var two = await PartUpload.PutAsync(Http, await PartUpload.PresignPartAsync(_alice.S3, stack.Bucket, key, uploadId, 2), last);

        foreach (var part in new[] { one, two })
        {
            using (part.Message)
            {
                part.Status.Should().Be(HttpStatusCode.OK, part.Body);
                part.ETag.Should().MatchRegex("^\"[0-9a-f]{32}\"$");
                // What lets the page's script read the ETag it must send back at completion.
                part.Message.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(PartUpload.AppOrigin);
                part.Message.Headers.GetValues("Access-Control-Expose-Headers").Single().Should().Contain("ETag");
            }
        }

#pragma warning disable CA5351 // S3 defines a part's ETag as the MD5 of its bytes; nothing is protected by it here
        one.ETag.Should().Be($"\"{Convert.ToHexStringLower(MD5.HashData(first))}\"", "a part's ETag is the MD5 of its bytes");
#pragma warning restore CA5351
        var listed = await _alice.S3.ListPartsAsync(new ListPartsRequest { BucketName = stack.Bucket, Key = key, UploadId = uploadId });
        listed.Parts.Select(p => (p.PartNumber, p.ETag)).Should().Equal((1, one.ETag!), (2, two.ETag!));

        await PartUpload.CompleteAsync(_alice.S3, stack.Bucket, key, uploadId, [(1, one.ETag!), (2, two.ETag!)]);

        using var stored = await _alice.S3.GetObjectAsync(stack.Bucket, key);
        using var bytes = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(bytes);
        SHA256.HashData(bytes.ToArray()).Should().Equal(SHA256.HashData([.. first, .. last]));
    }

    [Fact]
    public async Task Completing_with_IfNoneMatch_over_an_existing_key_is_PreconditionFailed_and_keeps_the_file()
    {
        var key = NewKey("exists");
        await _alice.S3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = key, ContentBody = "first" });
        var uploadId = await PartUpload.StartAsync(_alice.S3, stack.Bucket, key);
        var etag = await PartUpload.SendPartAsync(Http, _alice.S3, stack.Bucket, key, uploadId, 1, Encoding.UTF8.GetBytes("second"));

        var refused = await S3IsolationTests.Catch(() => PartUpload.CompleteAsync(_alice.S3, stack.Bucket, key, uploadId, [(1, etag)]));

        refused.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        refused.ErrorCode.Should().Be("PreconditionFailed");
        (await PartUpload.ReadAsync(_alice.S3, stack.Bucket, key)).Should().Be("first");

        // Replace: the same upload, completed without the condition, wins.
        await PartUpload.CompleteAsync(_alice.S3, stack.Bucket, key, uploadId, [(1, etag)], onlyIfNew: false);
        (await PartUpload.ReadAsync(_alice.S3, stack.Bucket, key)).Should().Be("second");
    }

    [Fact]
    public async Task Two_concurrent_conditional_completions_of_one_key_store_exactly_one()
    {
        var key = NewKey("race");
        var uploads = new List<(string UploadId, string ETag, string Body)>();
        foreach (var body in new[] { "from tab A", "from tab B" })
        {
            var uploadId = await PartUpload.StartAsync(_alice.S3, stack.Bucket, key);
            uploads.Add((uploadId, await PartUpload.SendPartAsync(Http, _alice.S3, stack.Bucket, key, uploadId, 1, Encoding.UTF8.GetBytes(body)), body));
        }

        var outcomes = await Task.WhenAll(uploads.Select(async u =>
        {
            try
            {
                await PartUpload.CompleteAsync(_alice.S3, stack.Bucket, key, u.UploadId, [(1, u.ETag)]);
                return (u.Body, Status: HttpStatusCode.OK);
            }
            catch (Amazon.S3.AmazonS3Exception ex)
            {
                return (u.Body, Status: ex.StatusCode);
            }
        }));

        outcomes.Select(o => o.Status).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed]);
        (await PartUpload.ReadAsync(_alice.S3, stack.Bucket, key)).Should().Be(outcomes.Single(o => o.Status == HttpStatusCode.OK).Body);
    }

    [Fact]
    public async Task Abort_leaves_no_parts_and_no_upload_behind()
    {
        var key = NewKey("cancelled");
        var uploadId = await PartUpload.StartAsync(_alice.S3, stack.Bucket, key);
        await PartUpload.SendPartAsync(Http, _alice.S3, stack.Bucket, key, uploadId, 1, Encoding.UTF8.GetBytes("half a file"));
        using var owner = stack.SetupClient();
        (await UploadsOfAsync(owner, stack.Bucket, key)).Should().Equal(uploadId);

        await _alice.S3.AbortMultipartUploadAsync(stack.Bucket, key, uploadId);

        var parts = await S3IsolationTests.Catch(() => _alice.S3.ListPartsAsync(new ListPartsRequest { BucketName = stack.Bucket, Key = key, UploadId = uploadId }));
        parts.StatusCode.Should().Be(HttpStatusCode.NotFound);
        parts.ErrorCode.Should().Be("NoSuchUpload");
        (await UploadsOfAsync(owner, stack.Bucket, key)).Should().BeEmpty();
        (await stack.AllKeysAsync()).Should().NotContain(key);
    }

    [Fact]
    public async Task A_part_of_an_aborted_or_completed_upload_is_NoSuchUpload()
    {
        // The front remembers which key an upload id belongs to after its first part: it must
        // forget it when the upload ends, or the next part would reach moto (which answers 500).
        var aborted = NewKey("after-abort");
        var abortedId = await PartUpload.StartAsync(_alice.S3, stack.Bucket, aborted);
        await PartUpload.SendPartAsync(Http, _alice.S3, stack.Bucket, aborted, abortedId, 1, Encoding.UTF8.GetBytes("first"));
        await _alice.S3.AbortMultipartUploadAsync(stack.Bucket, aborted, abortedId);
        var completed = NewKey("after-complete");
        var completedId = await PartUpload.StartAsync(_alice.S3, stack.Bucket, completed);
        var etag = await PartUpload.SendPartAsync(Http, _alice.S3, stack.Bucket, completed, completedId, 1, Encoding.UTF8.GetBytes("only"));
        await PartUpload.CompleteAsync(_alice.S3, stack.Bucket, completed, completedId, [(1, etag)]);

        foreach (var (key, uploadId) in new[] { (aborted, abortedId), (completed, completedId) })
        {
            var late = await PartUpload.PutAsync(Http, await PartUpload.PresignPartAsync(_alice.S3, stack.Bucket, key, uploadId, 2), Encoding.UTF8.GetBytes("late"));
            using (late.Message)
            {
                late.Status.Should().Be(HttpStatusCode.NotFound, late.Body);
                late.Body.Should().Contain("<Code>NoSuchUpload</Code>");
            }
        }
    }

    [Fact]
    public async Task A_presigned_part_url_past_its_expiry_is_AccessDenied()
    {
        var key = NewKey("late");
        var uploadId = await PartUpload.StartAsync(_alice.S3, stack.Bucket, key);
        var url = await PartUpload.PresignPartAsync(_alice.S3, stack.Bucket, key, uploadId, 1, TimeSpan.FromSeconds(2));

        var refusal = await UntilRefusedAsync(url);

        refusal.Status.Should().Be(HttpStatusCode.Forbidden);
        refusal.Body.Should().Contain("<Code>AccessDenied</Code>").And.Contain("Request has expired");
    }

    [Fact]
    public async Task A_presigned_part_url_dies_with_the_credentials_that_signed_it()
    {
        await stack.NextCredentialsExpireAfterAsync(TimeSpan.FromSeconds(3));
        using var shortLived = await StorageUser.SignInAsync(stack, stack.Alice);
        var key = $"{shortLived.Folder}short-{Guid.NewGuid():N}.bin";
        var uploadId = await PartUpload.StartAsync(shortLived.S3, stack.Bucket, key);
        // The URL claims an hour; the credentials that signed it end in 3 seconds.
        var url = await PartUpload.PresignPartAsync(shortLived.S3, stack.Bucket, key, uploadId, 1, TimeSpan.FromHours(1));

        var refusal = await UntilRefusedAsync(url);

        refusal.Status.Should().Be(HttpStatusCode.BadRequest);
        refusal.Body.Should().Contain("<Code>ExpiredToken</Code>");
    }

    /// <summary>PUTs a part again until the clock has run past an expiry (a deadline, not a fixed sleep); the first PUT must work.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> UntilRefusedAsync(Uri url)
    {
        var deadline = DateTime.UtcNow + Patience;
        var attempt = 0;
        while (DateTime.UtcNow < deadline)
        {
            var response = await PartUpload.PutAsync(Http, url, Encoding.UTF8.GetBytes("part"));
            using (response.Message)
            {
                if (response.Status != HttpStatusCode.OK)
                {
                    attempt.Should().BeGreaterThan(0, "the URL must work before it expires: {0}", response.Body);
                    return (response.Status, response.Body);
                }
            }

            attempt++;
            await Task.Delay(250);
        }

        throw new Xunit.Sdk.XunitException($"The part URL still worked {Patience.TotalSeconds:0} s later.");
    }

    /// <summary>The ids of the uploads in progress for exactly this key, as the bucket owner sees them.</summary>
    internal static async Task<List<string>> UploadsOfAsync(Amazon.S3.IAmazonS3 owner, string bucket, string key)
    {
        var uploads = await owner.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, Prefix = key });
        return (uploads.MultipartUploads ?? []).Where(u => u.Key == key).Select(u => u.UploadId).ToList();
    }
}
