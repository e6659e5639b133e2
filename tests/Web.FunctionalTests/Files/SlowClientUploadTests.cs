using System.Net;
using CleanCognito.TestSupport;

namespace CleanCognito.Web.FunctionalTests.Files;

/// <summary>
/// Issue 23: a slow client never looks like a stalled S3. The raw-body upload reads the body into a
/// temporary file before it calls S3, so a client at 1 Mbit/s outlasts S3's attempt bound (1 s here)
/// and still stores its file.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class SlowClientUploadTests(LocalAwsStack stack)
{
    [Fact]
    public async Task A_client_throttled_to_1_Mbit_per_second_uploads_past_the_s3_attempt_bound()
    {
        var settings = new Dictionary<string, string?> { ["Storage:TimeoutSeconds"] = "2", ["Storage:AttemptTimeoutSeconds"] = "1" };
        await using var factory = await FilesAppFactory.ForAsync(stack, stack.Alice, settings);
        using var alice = new FilesClient(factory.CreateHttpsClient());
        var name = $"slow-{Guid.NewGuid():N}.bin";
        var content = new byte[256 * 1024];
        Random.Shared.NextBytes(content);
        var token = await alice.AntiforgeryTokenAsync();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/Files?handler=Stream&name={name}&overwrite=true", UriKind.Relative))
        {
            Content = new ThrottledContent(content, bytesPerSecond: 128 * 1024),
        };
        request.Headers.Add("RequestVerificationToken", token);
        using var response = await alice.Http.SendAsync(request);
        clock.Stop();

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.5), "the body took about 2 s to arrive, longer than the 1 s attempt bound");
        using var download = await alice.DownloadAsync(name);
        (await alice.ListHtmlAsync()).Should().Contain(name);
        (await alice.DeleteAsync(name)).Dispose();
    }

    /// <summary>Sends its bytes in 16 KB pieces at <c>bytesPerSecond</c>, as a slow uplink does.</summary>
    private sealed class ThrottledContent(byte[] bytes, int bytesPerSecond) : HttpContent
    {
        private const int Piece = 16 * 1024;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += Piece)
            {
                var count = Math.Min(Piece, bytes.Length - offset);
                await stream.WriteAsync(bytes.AsMemory(offset, count));
                await stream.FlushAsync();
                await Task.Delay(TimeSpan.FromSeconds((double)count / bytesPerSecond));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }
}
