using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.S3Front;

/// <summary>
/// The S3 front refuses what S3 refuses before IAM is asked: unsigned, forged, unknown, mismatched
/// or expired credentials, and presigned URLs past their expiry, each with S3's own error code.
/// Every refusal is paired with the same request succeeding when it is right.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class S3FrontAuthenticationTests(LocalAwsStack stack) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private StorageUser _alice = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        _alice = await StorageUser.SignInAsync(stack, stack.Alice);
        _key = $"{_alice.Folder}auth-{Guid.NewGuid():N}.txt";
        await _alice.S3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = _key, ContentBody = "signed" });
    }

    public Task DisposeAsync()
    {
        _alice.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_forged_signature_is_SignatureDoesNotMatch()
    {
        var c = _alice.Credentials;
        using var forged = stack.ClientWith(c.AccessKeyId, "not-" + c.SecretKey, c.SessionToken);

        var refused = await S3IsolationTests.Catch(() => forged.GetObjectAsync(stack.Bucket, _key));

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        refused.ErrorCode.Should().Be("SignatureDoesNotMatch");
    }

    [Fact]
    public async Task A_tampered_presigned_url_is_SignatureDoesNotMatch()
    {
        var url = await _alice.S3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = stack.Bucket, Key = _key, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP, Verb = HttpVerb.GET });
        using var http = new HttpClient();

        (await http.GetStringAsync(new Uri(url))).Should().Be("signed");
        using var tampered = await http.GetAsync(new Uri(url.Replace("auth-", "xuth-", StringComparison.Ordinal)));

        tampered.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await tampered.Content.ReadAsStringAsync()).Should().Contain("<Code>SignatureDoesNotMatch</Code>");
    }

    [Fact]
    public async Task An_unknown_key_is_InvalidAccessKeyId_and_a_wrong_session_token_is_InvalidToken()
    {
        var c = _alice.Credentials;
        using var unknown = stack.ClientWith("ASIANOTISSUEDBYPOOL", c.SecretKey, c.SessionToken);
        using var wrongToken = stack.ClientWith(c.AccessKeyId, c.SecretKey, c.SessionToken + "x");

        var unknownKey = await S3IsolationTests.Catch(() => unknown.GetObjectAsync(stack.Bucket, _key));
        var badToken = await S3IsolationTests.Catch(() => wrongToken.GetObjectAsync(stack.Bucket, _key));

        unknownKey.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        unknownKey.ErrorCode.Should().Be("InvalidAccessKeyId");
        badToken.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        badToken.ErrorCode.Should().Be("InvalidToken");
    }

    [Fact]
    public async Task An_unsigned_request_is_AccessDenied()
    {
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri($"{stack.S3}/{stack.Bucket}/{_key}"));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("<Code>AccessDenied</Code>");
    }

    [Fact]
    public async Task Expired_credentials_are_ExpiredToken_also_for_a_presigned_url_signed_before()
    {
        await stack.NextCredentialsExpireAfterAsync(TimeSpan.FromSeconds(3));
        using var shortLived = await StorageUser.SignInAsync(stack, stack.Alice);
        shortLived.Credentials.Expiration.Should().BeBefore(DateTimeOffset.UtcNow.AddSeconds(5));
        // The URL claims 15 minutes; the credentials that signed it end in 3 seconds.
        var url = new Uri(await shortLived.S3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = stack.Bucket, Key = _key, Expires = DateTime.UtcNow.AddMinutes(15), Protocol = Protocol.HTTP, Verb = HttpVerb.GET }));
        using var http = new HttpClient();
        (await http.GetStringAsync(url)).Should().Be("signed");

        var refusal = await UntilRefusedAsync(http, url);

        refusal.Status.Should().Be(HttpStatusCode.BadRequest);
        refusal.Body.Should().Contain("<Code>ExpiredToken</Code>");
        var sdk = await S3IsolationTests.Catch(() => shortLived.S3.GetObjectAsync(stack.Bucket, _key));
        sdk.ErrorCode.Should().Be("ExpiredToken");
    }

    [Fact]
    public async Task A_presigned_url_past_its_expiry_is_AccessDenied()
    {
        var url = new Uri(await _alice.S3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = stack.Bucket, Key = _key, Expires = DateTime.UtcNow.AddSeconds(2), Protocol = Protocol.HTTP, Verb = HttpVerb.GET }));
        using var http = new HttpClient();
        (await http.GetStringAsync(url)).Should().Be("signed");

        var refusal = await UntilRefusedAsync(http, url);

        refusal.Status.Should().Be(HttpStatusCode.Forbidden);
        refusal.Body.Should().Contain("<Code>AccessDenied</Code>").And.Contain("Request has expired");
    }

    [Fact]
    public async Task A_presigned_get_honours_the_response_header_overrides()
    {
        var request = new GetPreSignedUrlRequest { BucketName = stack.Bucket, Key = _key, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP, Verb = HttpVerb.GET };
        request.ResponseHeaderOverrides.ContentDisposition = "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt";
        request.ResponseHeaderOverrides.ContentType = "application/x-test";
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(await _alice.S3.GetPreSignedURLAsync(request)));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        response.Content.Headers.ContentDisposition.FileNameStar.Should().Be("résumé.txt");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/x-test");
    }

    /// <summary>Asks again until the clock has run past the expiry (a deadline, not a fixed sleep).</summary>
    private static async Task<(HttpStatusCode Status, string Body)> UntilRefusedAsync(HttpClient http, Uri url)
    {
        (HttpStatusCode Status, string Body)? refused = null;
        await Eventually.TrueAsync(
            "the presigned URL is refused once it has expired",
            async () =>
            {
                using var response = await http.GetAsync(url);
                if (!response.IsSuccessStatusCode)
                {
                    refused = (response.StatusCode, await response.Content.ReadAsStringAsync());
                }

                return refused is not null;
            },
            Patience,
            every: TimeSpan.FromMilliseconds(250));
        return refused!.Value;
    }
}
