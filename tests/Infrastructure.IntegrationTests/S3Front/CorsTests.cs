using System.Net;
using System.Text;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.S3Front;

/// <summary>
/// The S3 front answers CORS from the files bucket's CorsConfiguration in deploy/cleancognito.yaml
/// (its https://AppHost origins standing for the local app's, LOCAL_AWS_CORS_ORIGINS): a preflight
/// for a part PUT from the app's origin is allowed; another origin, another method or a header the
/// rule does not allow is S3's 403 "CORSResponse"; only allowed requests get the CORS headers.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class CorsTests(LocalAwsStack stack) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };

    public void Dispose() => _http.Dispose();

    private Uri PartUrl => new($"{stack.S3}/{stack.Bucket}/private/some-identity/file.bin?partNumber=1&uploadId=any");

    private async Task<(HttpStatusCode Status, HttpResponseMessage Response, string Body)> PreflightAsync(string origin, string method, string? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, PartUrl);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        if (headers is not null)
        {
            request.Headers.Add("Access-Control-Request-Headers", headers);
        }

        var response = await _http.SendAsync(request);
        return (response.StatusCode, response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_preflight_for_a_part_put_from_the_apps_origin_is_allowed()
    {
        var (status, response, _) = await PreflightAsync(PartUpload.AppOrigin, "PUT");
        using (response)
        {
            status.Should().Be(HttpStatusCode.OK);
            response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(PartUpload.AppOrigin);
            response.Headers.GetValues("Access-Control-Allow-Methods").Single().Should().Be("PUT");
            response.Headers.GetValues("Access-Control-Expose-Headers").Single().Should().Be("ETag");
            response.Headers.GetValues("Access-Control-Max-Age").Single().Should().MatchRegex("^[1-9][0-9]*$");
            response.Headers.Vary.Should().Contain("Origin");
        }
    }

    [Theory]
    [InlineData("http://evil.example", "PUT", null)]
    [InlineData("https://127.0.0.1.evil.example", "PUT", null)]
    [InlineData("null", "PUT", null)]
    [InlineData("app", "POST", null)]
    [InlineData("app", "DELETE", null)]
    [InlineData("app", "PUT", "x-amz-acl")]
    [InlineData("app", "PUT", "content-type")]
    public async Task A_preflight_the_rules_do_not_allow_is_CORSResponse_403(string origin, string method, string? headers)
    {
        var (status, response, body) = await PreflightAsync(origin == "app" ? PartUpload.AppOrigin : origin, method, headers);
        using (response)
        {
            status.Should().Be(HttpStatusCode.Forbidden);
            body.Should().Contain("<Code>AccessForbidden</Code>").And.Contain("CORSResponse: This CORS request is not allowed");
            response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
        }
    }

    [Fact]
    public async Task A_preflight_without_an_origin_is_BadRequest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, PartUrl);
        request.Headers.Add("Access-Control-Request-Method", "PUT");

        using var response = await _http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Only_an_allowed_origin_gets_CORS_headers_on_the_actual_put_even_when_refused()
    {
        using var alice = await StorageUser.SignInAsync(stack, stack.Alice);
        var key = $"{alice.Folder}cors-{Guid.NewGuid():N}.bin";
        var uploadId = await PartUpload.StartAsync(alice.S3, stack.Bucket, key);
        var url = await PartUpload.PresignPartAsync(alice.S3, stack.Bucket, key, uploadId, 1);

        var other = await PartUpload.PutAsync(_http, url, Encoding.UTF8.GetBytes("x"), origin: "http://evil.example");
        var tampered = await PartUpload.PutAsync(_http, new Uri(url.ToString().Replace("partNumber=1", "partNumber=2", StringComparison.Ordinal)), Encoding.UTF8.GetBytes("x"));
        using (other.Message)
        using (tampered.Message)
        {
            // CORS never refuses the request itself (the browser hides the answer from the page).
            other.Status.Should().Be(HttpStatusCode.OK);
            other.Message.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
            // A refusal from the app's origin is readable by the page.
            tampered.Status.Should().Be(HttpStatusCode.Forbidden);
            tampered.Body.Should().Contain("<Code>SignatureDoesNotMatch</Code>");
            tampered.Message.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(PartUpload.AppOrigin);
        }

        // A GET (a download is a navigation, not CORS) from the app's origin gets no CORS headers.
        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri($"{stack.S3}/{stack.Bucket}/{key}"));
        get.Headers.Add("Origin", PartUpload.AppOrigin);
        using var answer = await _http.SendAsync(get);
        answer.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }
}
