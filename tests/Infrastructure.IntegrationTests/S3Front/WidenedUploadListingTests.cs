using System.Net;
using System.Text;
using Amazon.S3.Model;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.S3Front;

/// <summary>
/// Proof that <see cref="MultipartIsolationTests.Listing_uploads_is_refused_even_under_the_users_own_prefix"/>
/// tests the template, and why the template does not grant s3:ListBucketMultipartUploads: two copies
/// of deploy/cleancognito.yaml, made here from the real file, each run by its own stack.
/// <list type="bullet">
/// <item>Granted on the bucket: alice lists bob's upload, key (his file name) and upload id.</item>
/// <item>Granted only with an s3:prefix condition on her folder: still refused, because S3 supplies no
/// s3:prefix to ListMultipartUploads (the Service Authorization Reference lists no such key for the
/// action), so the condition never holds. The front must not be kinder than S3 here.</item>
/// </list>
/// </summary>
public sealed class WidenedUploadListingTests : IAsyncLifetime
{
    private const string InsertBefore = "        - PolicyName: own-notes";
    private const string Grant = """
                      - Sid: ListUploads
                        Effect: Allow
                        Action: s3:ListBucketMultipartUploads
                        Resource: !GetAtt FilesBucket.Arn

        """;

    private const string PrefixCondition = """
                        Condition:
                          StringLike:
                            s3:prefix:
                              - "private/${cognito-identity.amazonaws.com:sub}/"
                              - "private/${cognito-identity.amazonaws.com:sub}/*"

        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("cleancognito-uploads-").FullName;
    private LocalAwsStack _granted = null!;
    private LocalAwsStack _prefixed = null!;

    public async Task InitializeAsync()
    {
        var original = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy", "cleancognito.yaml"));
        original.Should().Contain(InsertBefore).And.NotContain("s3:ListBucketMultipartUploads\n", "the control widens the template as it is");
        var grant = Grant;
        _granted = await StartAsync("granted.yaml", original.Replace(InsertBefore, grant + InsertBefore, StringComparison.Ordinal));
        _prefixed = await StartAsync("prefixed.yaml", original.Replace(InsertBefore, grant.TrimEnd('\n') + "\n" + PrefixCondition + InsertBefore, StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        await _granted.DisposeAsync();
        await _prefixed.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Granted_on_the_bucket_alice_sees_bobs_upload_so_the_refusal_test_would_fail()
    {
        var (alice, bobsKey, bobsUpload) = await BobUploadsAsync(_granted);
        using (alice)
        {
            var listed = await alice.S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _granted.Bucket });

            listed.MultipartUploads.Select(u => (u.Key, u.UploadId)).Should().Contain((bobsKey, bobsUpload));
        }
    }

    [Fact]
    public async Task Granted_under_an_s3_prefix_condition_the_listing_is_still_refused_as_on_S3()
    {
        var (alice, _, _) = await BobUploadsAsync(_prefixed);
        using (alice)
        {
            var refused = await S3IsolationTests.Catch(() => alice.S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _prefixed.Bucket, Prefix = alice.Folder }));

            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            refused.ErrorCode.Should().Be("AccessDenied");
        }
    }

    private async Task<LocalAwsStack> StartAsync(string name, string template)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllTextAsync(path, template);
        var stack = LocalAwsStack.WithS3PolicyTemplate(path);
        await stack.InitializeAsync();
        stack.S3PolicyTemplate.Should().Be(path);
        return stack;
    }

    private static async Task<(StorageUser Alice, string BobsKey, string BobsUpload)> BobUploadsAsync(LocalAwsStack stack)
    {
        using var bob = await StorageUser.SignInAsync(stack, stack.Bob);
        var bobsKey = $"{bob.Folder}secret-plans-{Guid.NewGuid():N}.pdf";
        var bobsUpload = await PartUpload.StartAsync(bob.S3, stack.Bucket, bobsKey);
        using var http = new HttpClient();
        await PartUpload.SendPartAsync(http, bob.S3, stack.Bucket, bobsKey, bobsUpload, 1, Encoding.UTF8.GetBytes("bob's"));
        return (await StorageUser.SignInAsync(stack, stack.Alice), bobsKey, bobsUpload);
    }
}
