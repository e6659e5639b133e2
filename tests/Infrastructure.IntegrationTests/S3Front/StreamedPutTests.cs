using System.Net.Sockets;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.S3Front;

/// <summary>
/// Presigned (UNSIGNED-PAYLOAD) PUTs stream through the front to moto instead of being held in
/// memory: a client that goes away mid-body leaves nothing, and a PUT larger than S3's 5 GiB is
/// refused from its Content-Length before a byte of it is read.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class StreamedPutTests(LocalAwsStack stack) : IAsyncLifetime
{
    private StorageUser _alice = null!;

    public async Task InitializeAsync() => _alice = await StorageUser.SignInAsync(stack, stack.Alice);

    public Task DisposeAsync()
    {
        _alice.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_presigned_put_whose_client_goes_away_mid_body_stores_nothing()
    {
        var key = $"{_alice.Folder}cut-{Guid.NewGuid():N}.bin";
        var url = await PresignPutAsync(key);

        using (var socket = await ConnectAsync(url))
        {
            await socket.SendAsync(Head(url, 10 * 1024 * 1024));
            await socket.SendAsync(new byte[1024 * 1024]);
        }

        // Whatever moto would have stored, it would be there by now.
        await Task.Delay(1500);
        (await stack.AllKeysAsync()).Should().NotContain(key);
        // The same URL with the whole body works: the refusal was the cut, nothing else.
        using var http = new HttpClient();
        using var whole = await http.PutAsync(url, new ByteArrayContent(new byte[3 * 1024 * 1024]));
        whole.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await whole.Content.ReadAsStringAsync());
        (await stack.AllKeysAsync()).Should().Contain(key);
    }

    [Fact]
    public async Task A_presigned_put_of_more_than_5_GiB_is_EntityTooLarge_before_its_body()
    {
        var key = $"{_alice.Folder}huge-{Guid.NewGuid():N}.bin";
        var url = await PresignPutAsync(key);

        using var socket = await ConnectAsync(url);
        await socket.SendAsync(Head(url, (5L * 1024 * 1024 * 1024) + 1));
        var answer = await ReadAnswerAsync(socket);

        answer.Should().StartWith("HTTP/1.1 400").And.Contain("<Code>EntityTooLarge</Code>");
        (await stack.AllKeysAsync()).Should().NotContain(key);
    }

    private async Task<Uri> PresignPutAsync(string key) =>
        new(await _alice.S3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = stack.Bucket,
            Key = key,
            Verb = HttpVerb.PUT,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Protocol = Protocol.HTTP,
        }));

    private static async Task<Socket> ConnectAsync(Uri url)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(url.Host, url.Port);
        return socket;
    }

    private static byte[] Head(Uri url, long length) =>
        Encoding.ASCII.GetBytes($"PUT {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Length: {length}\r\n\r\n");

    private static async Task<string> ReadAnswerAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[16 * 1024];
        var text = new StringBuilder();
        while (!text.ToString().Contains("</Error>", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
