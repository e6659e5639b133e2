using System.Net;
using System.Text;
using Amazon.S3.Model;
using CleanCognito.TestSupport;
using Xunit.Abstractions;

namespace CleanCognito.Infrastructure.IntegrationTests.S3Front;

/// <summary>
/// S3 keys are literal: <c>private/&lt;alice&gt;/../&lt;bob&gt;/x</c> is a key in alice's folder, not a
/// way into bob's. The front authorizes the key it decodes from the path and must hand moto that
/// same path, byte for byte; a URL parser in between would resolve the dot segments and let alice
/// read, overwrite and delete bob's objects with her own credentials. Sent on a raw socket (System.Uri
/// would remove the dot segments before the request left the test) and signed with alice's real
/// identity-pool credentials.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class DotSegmentTests(LocalAwsStack stack, ITestOutputHelper output) : IAsyncLifetime
{
    private const string BobsBytes = "bob's secret bytes";
    private StorageUser _alice = null!;
    private StorageUser _bob = null!;
    private string _bobsFile = null!;

    public async Task InitializeAsync()
    {
        _alice = await StorageUser.SignInAsync(stack, stack.Alice);
        _bob = await StorageUser.SignInAsync(stack, stack.Bob);
        _bobsFile = $"dots-{Guid.NewGuid():N}.txt";
        await _bob.S3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = $"{_bob.Folder}{_bobsFile}", ContentBody = BobsBytes });
    }

    public Task DisposeAsync()
    {
        _alice.Dispose();
        _bob.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("..")]
    [InlineData("%2e%2e")]
    [InlineData("%2E%2E")]
    [InlineData(".%2e")]
    [InlineData("%2E.")]
    [InlineData("./%2e%2E")]
    [InlineData("..%2F")]
    [InlineData("")]
    public async Task Dot_segments_never_reach_bobs_object(string dots)
    {
        var bobsKey = $"{_bob.Folder}{_bobsFile}";
        // private/<alice>/<dots>/<bob's identity id>/<file>: resolved, this would be bob's key ("" gives "//").
        var separator = dots.EndsWith("%2F", StringComparison.Ordinal) ? string.Empty : "/";
        var tricky = $"/{stack.Bucket}/{_alice.Folder}{dots}{separator}{_bob.IdentityId}/{_bobsFile}";
        var answers = new List<string>();

        async Task<RawS3Request.Response> Send(string method, string path, byte[]? body = null, Dictionary<string, string>? headers = null)
        {
            var response = await RawS3Request.SendAsync(new Uri(stack.S3), _alice.Credentials, stack.Region, method, path, body, headers);
            var code = System.Text.RegularExpressions.Regex.Match(response.Body, "<Code>([^<]*)</Code>").Groups[1].Value;
            answers.Add($"{method} {path}{(headers is null ? string.Empty : $" (x-amz-copy-source: {headers["x-amz-copy-source"]})")} -> {(int)response.Status} {code}");
            return response;
        }

        var get = await Send("GET", tricky);
        var head = await Send("HEAD", tricky);
        var copyTarget = $"{_alice.Folder}copied-{Guid.NewGuid():N}.txt";
        var copy = await Send("PUT", $"/{stack.Bucket}/{copyTarget}", null, new() { ["x-amz-copy-source"] = tricky });
        var delete = await Send("DELETE", tricky);
        var put = await Send("PUT", tricky, Encoding.UTF8.GetBytes("alice's bytes"));
        var getAfterPut = await Send("GET", tricky);
        output.WriteLine(string.Join('\n', answers));

        // Reads: refused (the literal key does not exist and alice may not list), never bob's bytes.
        get.Status.Should().Be(HttpStatusCode.Forbidden);
        head.Status.Should().Be(HttpStatusCode.Forbidden);
        copy.Status.Should().NotBe(HttpStatusCode.OK);
        // A write is allowed only because its literal key is in alice's folder; it stored alice's bytes there.
        put.Status.Should().Be(HttpStatusCode.OK);
        getAfterPut.Body.Should().Contain("alice's bytes").And.NotContain(BobsBytes);
        delete.Status.Should().BeOneOf(HttpStatusCode.NoContent, HttpStatusCode.Forbidden);

        // Bob's object: still listed, bytes unchanged; nothing else appeared in his folder.
        using var owner = stack.SetupClient();
        using (var stored = await owner.GetObjectAsync(stack.Bucket, bobsKey))
        using (var reader = new StreamReader(stored.ResponseStream))
        {
            (await reader.ReadToEndAsync()).Should().Be(BobsBytes);
        }

        var keys = await stack.AllKeysAsync();
        keys.Should().Contain(bobsKey);
        keys.Where(k => k.StartsWith(_bob.Folder, StringComparison.Ordinal) && k.Contains(_bobsFile, StringComparison.Ordinal)).Should().Equal(bobsKey);
        keys.Should().NotContain(copyTarget);
        // The key alice wrote is the literal one (percent-decoded once, nothing resolved), in her own folder.
        var literal = Uri.UnescapeDataString(tricky[$"/{stack.Bucket}/".Length..]);
        literal.Should().StartWith(_alice.Folder);
        keys.Should().Contain(literal);
    }

    [Fact]
    public async Task The_raw_signer_is_accepted_so_the_refusals_above_are_the_policy_s()
    {
        var own = $"/{stack.Bucket}/{_alice.Folder}raw-{Guid.NewGuid():N}.txt";

        var put = await RawS3Request.SendAsync(new Uri(stack.S3), _alice.Credentials, stack.Region, "PUT", own, Encoding.UTF8.GetBytes("mine"));
        var get = await RawS3Request.SendAsync(new Uri(stack.S3), _alice.Credentials, stack.Region, "GET", own);
        var bobs = await RawS3Request.SendAsync(new Uri(stack.S3), _alice.Credentials, stack.Region, "GET", $"/{stack.Bucket}/{_bob.Folder}{_bobsFile}");

        put.Status.Should().Be(HttpStatusCode.OK);
        get.Body.Should().Contain("mine");
        bobs.Status.Should().Be(HttpStatusCode.Forbidden);
        bobs.Body.Should().Contain("<Code>AccessDenied</Code>");
    }
}
