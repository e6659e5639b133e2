using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.S3Front;

/// <summary>
/// Isolation at the storage layer, without the app: alice's own identity-pool credentials, straight
/// AWS SDK calls, and the S3 front enforcing the authenticated role's policy from
/// deploy/cleancognito.yaml. Each refusal has a positive control (bob, or alice in her own folder)
/// so that a broken signature check cannot pass for a policy decision.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class S3IsolationTests(LocalAwsStack stack) : IAsyncLifetime
{
    private StorageUser _alice = null!;
    private StorageUser _bob = null!;
    private string _bobsKey = null!;

    public async Task InitializeAsync()
    {
        _alice = await StorageUser.SignInAsync(stack, stack.Alice);
        _bob = await StorageUser.SignInAsync(stack, stack.Bob);
        _bobsKey = $"{_bob.Folder}bobs-{Guid.NewGuid():N}.txt";
        // Bob writes his own file with his own credentials: the policy lets him.
        await _bob.S3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = _bobsKey, ContentBody = "bob's" });
    }

    public Task DisposeAsync()
    {
        _alice.Dispose();
        _bob.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Alice_lists_reads_writes_and_deletes_in_her_own_folder()
    {
        var key = $"{_alice.Folder}own-{Guid.NewGuid():N}.txt";
        await _alice.S3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = key, ContentBody = "alice's" });

        var listing = await _alice.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = stack.Bucket, Prefix = _alice.Folder });
        listing.S3Objects.Select(o => o.Key).Should().Contain(key);
        using (var get = await _alice.S3.GetObjectAsync(stack.Bucket, key))
        using (var reader = new StreamReader(get.ResponseStream))
        {
            (await reader.ReadToEndAsync()).Should().Be("alice's");
        }

        await _alice.S3.DeleteObjectAsync(stack.Bucket, key);
        (await stack.AllKeysAsync()).Should().NotContain(key);
    }

    [Theory]
    [InlineData("bob")]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("private/")]
    [InlineData("private")]
    [InlineData("alice-without-slash")]
    public async Task Alice_may_not_list_outside_her_folder(string? prefix)
    {
        var request = new ListObjectsV2Request
        {
            BucketName = stack.Bucket,
            Prefix = prefix switch
            {
                "bob" => _bob.Folder,
                // "private/<id>" without the slash would also match ids that start with hers: the template leaves it out.
                "alice-without-slash" => _alice.Folder.TrimEnd('/'),
                _ => prefix,
            },
        };

        await ShouldBeDeniedAsync(() => _alice.S3.ListObjectsV2Async(request));
        // The same listing of bob's folder is fine for bob (the refusal is the policy, not the request).
        (await _bob.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = stack.Bucket, Prefix = _bob.Folder })).S3Objects.Select(o => o.Key).Should().Contain(_bobsKey);
    }

    [Fact]
    public async Task Alice_may_not_read_bobs_file()
    {
        await ShouldBeDeniedAsync(() => _alice.S3.GetObjectAsync(stack.Bucket, _bobsKey));
        var head = await Catch(() => _alice.S3.GetObjectMetadataAsync(stack.Bucket, _bobsKey));
        head.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var presigned = await _alice.S3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = stack.Bucket, Key = _bobsKey, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP, Verb = HttpVerb.GET });
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(presigned));
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("<Code>AccessDenied</Code>");
    }

    [Fact]
    public async Task Alice_may_not_write_or_delete_in_bobs_folder_and_his_file_survives()
    {
        await ShouldBeDeniedAsync(() => _alice.S3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = _bobsKey, ContentBody = "alice's" }));
        await ShouldBeDeniedAsync(() => _alice.S3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = $"{_bob.Folder}planted.txt", ContentBody = "alice's" }));
        await ShouldBeDeniedAsync(() => _alice.S3.DeleteObjectAsync(stack.Bucket, _bobsKey));
        await ShouldBeDeniedAsync(() => _alice.S3.CopyObjectAsync(stack.Bucket, _bobsKey, stack.Bucket, $"{_alice.Folder}stolen.txt"));

        using var owner = stack.SetupClient();
        using var stored = await owner.GetObjectAsync(stack.Bucket, _bobsKey);
        using var reader = new StreamReader(stored.ResponseStream);
        (await reader.ReadToEndAsync()).Should().Be("bob's");
        (await stack.AllKeysAsync()).Should().NotContain([$"{_bob.Folder}planted.txt", $"{_alice.Folder}stolen.txt"]);
    }

    [Fact]
    public async Task A_multi_object_delete_removes_only_alices_own_keys_and_reports_bobs_as_AccessDenied()
    {
        var own = $"{_alice.Folder}batch-{Guid.NewGuid():N}.txt";
        await _alice.S3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = own, ContentBody = "x" });
        var request = new DeleteObjectsRequest { BucketName = stack.Bucket, Objects = [new KeyVersion { Key = own }, new KeyVersion { Key = _bobsKey }] };

        // Like S3: 200 with the allowed key deleted and an <Error> per refused key (the SDK throws for those).
        var partial = await Record.ExceptionAsync(() => _alice.S3.DeleteObjectsAsync(request));

        var errors = partial.Should().BeOfType<DeleteObjectsException>().Subject.Response;
        errors.DeletedObjects.Select(d => d.Key).Should().Equal(own);
        errors.DeleteErrors.Should().ContainSingle().Which.Should().Match<DeleteError>(e => e.Key == _bobsKey && e.Code == "AccessDenied");
        var onlyBobs = await Record.ExceptionAsync(() => _alice.S3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = stack.Bucket, Objects = [new KeyVersion { Key = _bobsKey }] }));
        onlyBobs.Should().BeOfType<DeleteObjectsException>().Which.Response.DeleteErrors.Should().ContainSingle(e => e.Code == "AccessDenied");
        var keys = await stack.AllKeysAsync();
        keys.Should().Contain(_bobsKey).And.NotContain(own);
    }

    [Theory]
    [InlineData("at-the-root.txt")]
    [InlineData("private/in-private.txt")]
    [InlineData("public/shared.txt")]
    public async Task Alice_may_not_write_read_or_delete_outside_private_folders(string key)
    {
        await ShouldBeDeniedAsync(() => _alice.S3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = key, ContentBody = "x" }));
        await ShouldBeDeniedAsync(() => _alice.S3.GetObjectAsync(stack.Bucket, key));
        await ShouldBeDeniedAsync(() => _alice.S3.DeleteObjectAsync(stack.Bucket, key));
        (await stack.AllKeysAsync()).Should().NotContain(key);
    }

    [Fact]
    public async Task A_missing_key_is_403_to_alice_even_in_her_folder_but_404_to_the_bucket_owner()
    {
        // S3 says 404 only to callers allowed s3:ListBucket for the request; a GET/HEAD has no
        // s3:prefix, so the role's prefix-conditioned grant does not apply.
        var key = $"{_alice.Folder}missing-{Guid.NewGuid():N}.txt";

        await ShouldBeDeniedAsync(() => _alice.S3.GetObjectAsync(stack.Bucket, key));
        (await Catch(() => _alice.S3.GetObjectMetadataAsync(stack.Bucket, key))).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        using var owner = stack.SetupClient();
        var missing = await Catch(() => owner.GetObjectAsync(stack.Bucket, key));
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        missing.ErrorCode.Should().Be("NoSuchKey");
    }

    private static async Task ShouldBeDeniedAsync<T>(Func<Task<T>> call)
    {
        var refused = await Catch(call);
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        refused.ErrorCode.Should().Be("AccessDenied");
    }

    internal static async Task<AmazonS3Exception> Catch<T>(Func<Task<T>> call)
    {
        try
        {
            var result = await call();
            (result as IDisposable)?.Dispose();
        }
        catch (AmazonS3Exception ex)
        {
            return ex;
        }

        throw new Xunit.Sdk.XunitException("S3 accepted a request it must refuse.");
    }
}
