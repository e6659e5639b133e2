using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanCognito.TestSupport;

namespace CleanCognito.Web.FunctionalTests.Files;

/// <summary>
/// The JSON handlers upload.js calls on /Files: antiforgery in the header, and every error a JSON
/// problem with its status (a user's mistake never a 500, an outage a 503 with Retry-After).
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class UploadApiTests(LocalAwsStack stack) : IAsyncLifetime
{
    private FilesAppFactory _alice = null!;

    public async Task InitializeAsync() => _alice = await FilesAppFactory.ForAsync(stack, stack.Alice);

    public async Task DisposeAsync() => await _alice.DisposeAsync();

    [Fact]
    public async Task Start_sign_list_and_abort_answer_json_for_the_users_own_upload()
    {
        using var alice = new FilesClient(_alice.CreateHttpsClient());
        var name = $"api-{Guid.NewGuid():N}.bin";

        using var started = await PostAsync(alice, "StartUpload", new { name, size = 11 * 1024 * 1024, contentType = "application/pdf" });
        started.StatusCode.Should().Be(HttpStatusCode.OK);
        using var session = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
        var uploadId = session.RootElement.GetProperty("uploadId").GetString()!;
        session.RootElement.GetProperty("partSize").GetInt64().Should().Be(5 * 1024 * 1024);
        session.RootElement.GetProperty("partCount").GetInt32().Should().Be(3);
        var urls = session.RootElement.GetProperty("parts").EnumerateArray().Select(p => new Uri(p.GetProperty("url").GetString()!)).ToList();
        urls.Should().HaveCount(3).And.OnlyContain(u => u.GetLeftPart(UriPartial.Authority) == new Uri(stack.S3).GetLeftPart(UriPartial.Authority));

        using var signed = await PostAsync(alice, "SignParts", new { name, uploadId, firstPart = 2, lastPart = 3 });
        signed.StatusCode.Should().Be(HttpStatusCode.OK);
        using var listed = await PostAsync(alice, "ListParts", new { name, uploadId });
        (await listed.Content.ReadAsStringAsync()).Should().Be("[]");
        using var aborted = await PostAsync(alice, "AbortUpload", new { name, uploadId });
        aborted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        using var gone = await PostAsync(alice, "ListParts", new { name, uploadId });
        gone.StatusCode.Should().Be(HttpStatusCode.NotFound);
        gone.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Bad_requests_are_400_problems_with_the_message()
    {
        using var alice = new FilesClient(_alice.CreateHttpsClient());

        using var badName = await PostAsync(alice, "StartUpload", new { name = "../escape.bin", size = 10 });
        badName.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using (var problem = JsonDocument.Parse(await badName.Content.ReadAsStringAsync()))
        {
            problem.RootElement.GetProperty("title").GetString().Should().Contain("must not contain empty, '.' or '..' parts");
        }

        using var badParts = await PostAsync(alice, "SignParts", new { name = "a.bin", uploadId = "abc", firstPart = 0, lastPart = 10_001 });
        badParts.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        using var notJson = await PostRawAsync(alice, "CompleteUpload", "not json");
        notJson.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        notJson.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");

        using var tooLarge = await PostAsync(alice, "StartUpload", new { name = "huge.bin", size = 6L * 1024 * 1024 * 1024 });
        tooLarge.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_header_is_refused()
    {
        using var alice = new FilesClient(_alice.CreateHttpsClient());
        await alice.ListHtmlAsync();

        using var response = await alice.Http.PostAsJsonAsync(new Uri("/Files?handler=StartUpload", UriKind.Relative), new { name = "a.bin", size = 10 });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await PostAsync(alice, "ListParts", new { name = "a.bin", uploadId = "x" })).StatusCode.Should().Be(HttpStatusCode.NotFound, "the same call with the token reaches S3");
    }

    [Fact]
    public async Task A_stalled_s3_is_a_503_problem_with_retry_after()
    {
        using var alice = new FilesClient(_alice.CreateHttpsClient());
        var token = await alice.AntiforgeryTokenAsync();

        await stack.PauseS3Async();
        HttpResponseMessage response;
        try
        {
            response = await PostAsync(alice, "StartUpload", new { name = "stalled.bin", size = 10 }, token);
        }
        finally
        {
            await stack.ResumeS3Async();
        }

        using (response)
        {
            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter.Should().NotBeNull();
            (await response.Content.ReadAsStringAsync()).Should().Contain("not available right now");
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(FilesClient client, string handler, object body, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/Files?handler={handler}", UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.Add("RequestVerificationToken", token ?? await client.AntiforgeryTokenAsync());
        return await client.Http.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PostRawAsync(FilesClient client, string handler, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/Files?handler={handler}", UriKind.Relative))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("RequestVerificationToken", await client.AntiforgeryTokenAsync());
        return await client.Http.SendAsync(request);
    }
}
