using Amazon.S3.Model;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.S3Front;

/// <summary>
/// Proof that the isolation tests test the template: a copy of deploy/cleancognito.yaml whose
/// object statement is widened from <c>private/${cognito-identity.amazonaws.com:sub}/*</c> to
/// <c>private/*</c>, made here from the real file (never kept by hand), run by a second stack. The
/// refusal <see cref="S3IsolationTests.Alice_may_not_read_bobs_file"/> asserts disappears.
/// </summary>
public sealed class WidenedPolicyTests : IAsyncLifetime
{
    private const string OwnFolder = "private/${!cognito-identity.amazonaws.com:sub}/*";
    private readonly string _template = Path.Combine(Directory.CreateTempSubdirectory("cleancognito-widened-").FullName, "cleancognito.yaml");
    private LocalAwsStack _stack = null!;

    public async Task InitializeAsync()
    {
        var original = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy", "cleancognito.yaml"));
        original.Should().Contain(OwnFolder, "the widening below must change the real statement");
        await File.WriteAllTextAsync(_template, original.Replace(OwnFolder, "private/*", StringComparison.Ordinal));
        _stack = LocalAwsStack.WithS3PolicyTemplate(_template);
        await _stack.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_template)!, recursive: true);
    }

    [Fact]
    public async Task With_private_star_alice_reads_bobs_file_so_the_isolation_test_would_fail()
    {
        _stack.S3PolicyTemplate.Should().Be(_template);
        using var alice = await StorageUser.SignInAsync(_stack, _stack.Alice);
        using var bob = await StorageUser.SignInAsync(_stack, _stack.Bob);
        var bobsKey = $"{bob.Folder}widened-{Guid.NewGuid():N}.txt";
        await bob.S3.PutObjectAsync(new PutObjectRequest { BucketName = _stack.Bucket, Key = bobsKey, ContentBody = "bob's" });

        using var stolen = await alice.S3.GetObjectAsync(_stack.Bucket, bobsKey);
        using var reader = new StreamReader(stolen.ResponseStream);

        (await reader.ReadToEndAsync()).Should().Be("bob's");
    }
}
