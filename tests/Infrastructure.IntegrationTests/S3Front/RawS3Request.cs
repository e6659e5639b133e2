using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Infrastructure.IntegrationTests.S3Front;

/// <summary>
/// One SigV4-signed S3 request whose path goes on the wire byte for byte as given. The AWS SDK and
/// <see cref="HttpClient"/> cannot send <c>a/../b</c> (System.Uri removes dot segments), so this
/// writes HTTP/1.1 on a socket and signs the path as S3 does (canonical URI = the path as sent,
/// payload UNSIGNED-PAYLOAD).
/// </summary>
internal static class RawS3Request
{
    public sealed record Response(HttpStatusCode Status, string Body);

    public static async Task<Response> SendAsync(Uri endpoint, IdentityCredentials credentials, string region, string method, string rawPath, byte[]? body = null, IReadOnlyDictionary<string, string>? extraHeaders = null)
    {
        var now = DateTime.UtcNow;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var day = amzDate[..8];
        var host = $"{endpoint.Host}:{endpoint.Port}";
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = host,
            ["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD",
            ["x-amz-date"] = amzDate,
            ["x-amz-security-token"] = credentials.SessionToken,
        };
        foreach (var (name, value) in extraHeaders ?? new Dictionary<string, string>())
        {
            headers[name.ToLowerInvariant()] = value;
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = $"{method}\n{rawPath}\n\n{string.Concat(headers.Select(h => $"{h.Key}:{h.Value.Trim()}\n"))}\n{signedHeaders}\nUNSIGNED-PAYLOAD";
        var scope = $"{day}/{region}/s3/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretKey), day), region), "s3"), "aws4_request");
        var signature = Hex(Hmac(key, toSign));

        var request = new StringBuilder();
        request.Append(CultureInfo.InvariantCulture, $"{method} {rawPath} HTTP/1.1\r\n");
        foreach (var (name, value) in headers)
        {
            request.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        request.Append(CultureInfo.InvariantCulture, $"authorization: AWS4-HMAC-SHA256 Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}\r\n");
        request.Append(CultureInfo.InvariantCulture, $"content-length: {body?.Length ?? 0}\r\nconnection: close\r\n\r\n");

        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), timeout.Token);
        if (body is not null)
        {
            await stream.WriteAsync(body, timeout.Token);
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var raw = await reader.ReadToEndAsync(timeout.Token);
        var statusLine = raw[..raw.IndexOf('\r', StringComparison.Ordinal)];
        var status = (HttpStatusCode)int.Parse(statusLine.Split(' ')[1], CultureInfo.InvariantCulture);
        var separator = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return new Response(status, separator < 0 ? string.Empty : raw[(separator + 4)..]);
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
