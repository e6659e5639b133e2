using System.Net;
using System.Text;
using Amazon.S3.Model;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.S3Front;

/// <summary>
/// An upload belongs to its key and its key to its user. Alice cannot reach bob's upload through
/// his key (IAM: 403) nor through her own key with his upload id (S3: 404 NoSuchUpload; moto alone
/// would complete his upload under his key). Nobody may list the bucket's uploads: IAM cannot narrow
/// s3:ListBucketMultipartUploads to a folder. Each refusal is paired with bob doing the same.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class MultipartIsolationTests(LocalAwsStack stack) : IAsyncLifetime
{
    // One client for the class's tests, as a browser keeps its connections.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private StorageUser _alice = null!;
    private StorageUser _bob = null!;
    private string _bobsKey = null!;
    private string _bobsUpload = null!;
    private string _bobsETag = null!;

    public async Task InitializeAsync()
    {
        _alice = await StorageUser.SignInAsync(stack, stack.Alice);
        _bob = await StorageUser.SignInAsync(stack, stack.Bob);
        _bobsKey = $"{_bob.Folder}upload-{Guid.NewGuid():N}.txt";
        _bobsUpload = await PartUpload.StartAsync(_bob.S3, stack.Bucket, _bobsKey);
        _bobsETag = await PartUpload.SendPartAsync(Http, _bob.S3, stack.Bucket, _bobsKey, _bobsUpload, 1, Encoding.UTF8.GetBytes("bob's part"));
    }

    public Task DisposeAsync()
    {
        _alice.Dispose();
        _bob.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Bobs_upload_id_on_alices_own_key_is_NoSuchUpload_for_every_operation()
    {
        var alicesKey = $"{_alice.Folder}borrowed-{Guid.NewGuid():N}.txt";

        var part = await PartUpload.PutAsync(Http, await PartUpload.PresignPartAsync(_alice.S3, stack.Bucket, alicesKey, _bobsUpload, 2), Encoding.UTF8.GetBytes("alice's part"));
        using (part.Message)
        {
            part.Status.Should().Be(HttpStatusCode.NotFound);
            part.Body.Should().Contain("<Code>NoSuchUpload</Code>");
        }

        await ShouldBeNoSuchUploadAsync(() => _alice.S3.ListPartsAsync(new ListPartsRequest { BucketName = stack.Bucket, Key = alicesKey, UploadId = _bobsUpload }));
        await ShouldBeNoSuchUploadAsync(() => PartUpload.CompleteAsync(_alice.S3, stack.Bucket, alicesKey, _bobsUpload, [(1, _bobsETag)]));
        await ShouldBeNoSuchUploadAsync(() => _alice.S3.AbortMultipartUploadAsync(stack.Bucket, alicesKey, _bobsUpload));

        // Bob's upload is untouched: one part, his; he completes it and his file is his.
        var parts = await _bob.S3.ListPartsAsync(new ListPartsRequest { BucketName = stack.Bucket, Key = _bobsKey, UploadId = _bobsUpload });
        parts.Parts.Select(p => (p.PartNumber, p.ETag)).Should().Equal((1, _bobsETag));
        await PartUpload.CompleteAsync(_bob.S3, stack.Bucket, _bobsKey, _bobsUpload, [(1, _bobsETag)]);
        (await PartUpload.ReadAsync(_bob.S3, stack.Bucket, _bobsKey)).Should().Be("bob's part");
        (await stack.AllKeysAsync()).Should().NotContain(alicesKey);
    }

    [Fact]
    public async Task Alice_may_not_start_send_list_complete_or_abort_an_upload_of_bobs_key()
    {
        await ShouldBeDeniedAsync(() => _alice.S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = stack.Bucket, Key = $"{_bob.Folder}planted.txt" }));

        var part = await PartUpload.PutAsync(Http, await PartUpload.PresignPartAsync(_alice.S3, stack.Bucket, _bobsKey, _bobsUpload, 2), Encoding.UTF8.GetBytes("alice's part"));
        using (part.Message)
        {
            part.Status.Should().Be(HttpStatusCode.Forbidden);
            part.Body.Should().Contain("<Code>AccessDenied</Code>");
        }

        await ShouldBeDeniedAsync(() => _alice.S3.ListPartsAsync(new ListPartsRequest { BucketName = stack.Bucket, Key = _bobsKey, UploadId = _bobsUpload }));
        await ShouldBeDeniedAsync(() => PartUpload.CompleteAsync(_alice.S3, stack.Bucket, _bobsKey, _bobsUpload, [(1, _bobsETag)]));
        await ShouldBeDeniedAsync(() => _alice.S3.AbortMultipartUploadAsync(stack.Bucket, _bobsKey, _bobsUpload));

        // Each of those works for bob, and his upload is still whole.
        using var owner = stack.SetupClient();
        (await MultipartUploadTests.UploadsOfAsync(owner, stack.Bucket, _bobsKey)).Should().Equal(_bobsUpload);
        (await _bob.S3.ListPartsAsync(new ListPartsRequest { BucketName = stack.Bucket, Key = _bobsKey, UploadId = _bobsUpload })).Parts.Should().ContainSingle();
        await _bob.S3.AbortMultipartUploadAsync(stack.Bucket, _bobsKey, _bobsUpload);
        (await MultipartUploadTests.UploadsOfAsync(owner, stack.Bucket, _bobsKey)).Should().BeEmpty();
    }

    [Fact]
    public async Task Alice_may_not_copy_bobs_file_into_a_part_of_her_own_upload()
    {
        var bobsFile = $"{_bob.Folder}copied-{Guid.NewGuid():N}.txt";
        await _bob.S3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = bobsFile, ContentBody = "bob's file" });
        var alicesFile = $"{_alice.Folder}mine-{Guid.NewGuid():N}.txt";
        await _alice.S3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = alicesFile, ContentBody = "alice's file" });
        var key = $"{_alice.Folder}assembled-{Guid.NewGuid():N}.txt";
        var uploadId = await PartUpload.StartAsync(_alice.S3, stack.Bucket, key);
        CopyPartRequest CopyFrom(string source) => new() { SourceBucket = stack.Bucket, SourceKey = source, DestinationBucket = stack.Bucket, DestinationKey = key, UploadId = uploadId, PartNumber = 1 };

        await ShouldBeDeniedAsync(() => _alice.S3.CopyPartAsync(CopyFrom(bobsFile)));

        // UploadPartCopy from her own file works.
        var own = await _alice.S3.CopyPartAsync(CopyFrom(alicesFile));
        await PartUpload.CompleteAsync(_alice.S3, stack.Bucket, key, uploadId, [(1, own.ETag)]);
        (await PartUpload.ReadAsync(_alice.S3, stack.Bucket, key)).Should().Be("alice's file");
    }

    [Fact]
    public async Task Listing_uploads_is_refused_even_under_the_users_own_prefix()
    {
        await ShouldBeDeniedAsync(() => _alice.S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = stack.Bucket, Prefix = _alice.Folder }));
        await ShouldBeDeniedAsync(() => _alice.S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = stack.Bucket, Prefix = _bob.Folder }));
        await ShouldBeDeniedAsync(() => _alice.S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = stack.Bucket }));

        // The bucket owner lists bob's upload: the refusal is IAM's, not a missing feature.
        using var owner = stack.SetupClient();
        (await MultipartUploadTests.UploadsOfAsync(owner, stack.Bucket, _bobsKey)).Should().Equal(_bobsUpload);
    }

    private static async Task ShouldBeDeniedAsync<T>(Func<Task<T>> call)
    {
        var refused = await S3IsolationTests.Catch(call);
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        refused.ErrorCode.Should().Be("AccessDenied");
    }

    private static async Task ShouldBeNoSuchUploadAsync<T>(Func<Task<T>> call)
    {
        var refused = await S3IsolationTests.Catch(call);
        refused.StatusCode.Should().Be(HttpStatusCode.NotFound);
        refused.ErrorCode.Should().Be("NoSuchUpload");
    }
}
