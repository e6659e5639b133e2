using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Playwright;

namespace CleanCognito.Upload.Benchmark;

/// <summary>
/// The signed-in browser user's own S3 access, as the app has it: the ID token from the browser's
/// cookie exchanged at the identity pool (GetId, GetCredentialsForIdentity) for the role's
/// credentials, which sign the direct PUT the page's multipart path is compared with.
/// </summary>
internal sealed class UserStorage(LocalSettings settings, string identityId, AWSCredentials credentials) : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly AmazonS3Client _s3 = new(credentials, new AmazonS3Config { ServiceURL = settings.S3Service.ToString(), ForcePathStyle = true, AuthenticationRegion = settings.Region });

    public string Folder => $"private/{identityId}/";

    public static async Task<UserStorage> ForAsync(IBrowserContext context, Uri app, LocalSettings settings)
    {
        var cookies = (await context.CookiesAsync([app.ToString()])).ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal);
        var idToken = Unchunk(cookies, "cognito_id_token");
        using var payload = JsonDocument.Parse(Base64Url(idToken.Split('.')[1]));
        var issuer = payload.RootElement.GetProperty("iss").GetString()!;
        var provider = (issuer.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? issuer["https://".Length..] : issuer).TrimEnd('/');
        var logins = new JsonObject { [provider] = idToken };

        using var id = await CallAsync(settings, "GetId", new JsonObject { ["IdentityPoolId"] = settings.IdentityPoolId, ["AccountId"] = settings.AccountId, ["Logins"] = logins.DeepClone() });
        var identityId = id.RootElement.GetProperty("IdentityId").GetString()!;
        using var granted = await CallAsync(settings, "GetCredentialsForIdentity", new JsonObject { ["IdentityId"] = identityId, ["Logins"] = logins.DeepClone() });
        var keys = granted.RootElement.GetProperty("Credentials");
        return new UserStorage(settings, identityId, new SessionAWSCredentials(
            keys.GetProperty("AccessKeyId").GetString(), keys.GetProperty("SecretKey").GetString(), keys.GetProperty("SessionToken").GetString()));
    }

    /// <summary>A presigned PutObject of the user's key <paramref name="name"/>, as the page's part URLs are signed.</summary>
    public async Task<string> PresignPutAsync(string name, TimeSpan lifetime) =>
        await _s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = settings.Bucket,
            Key = Folder + name,
            Verb = HttpVerb.PUT,
            Expires = DateTime.UtcNow + lifetime,
            Protocol = Protocol.HTTP,
        });

    /// <summary>The SHA-256 of the stored object, read in full (streamed, never held in memory).</summary>
    public async Task<byte[]> HashAsync(string name, CancellationToken ct)
    {
        using var stored = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = settings.Bucket, Key = Folder + name }, ct);
        return await System.Security.Cryptography.SHA256.HashDataAsync(stored.ResponseStream, ct);
    }

    public void Dispose() => _s3.Dispose();

    private static async Task<JsonDocument> CallAsync(LocalSettings settings, string operation, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.IdentityService)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", $"AWSCognitoIdentityService.{operation}");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text)
            : throw new InvalidOperationException($"{operation} answered {(int)response.StatusCode}: {text}");
    }

    /// <summary>A token cookie as ASP.NET Core writes a large one: <c>chunks-N</c>, then <c>nameC1</c>…<c>nameCN</c>.</summary>
    private static string Unchunk(Dictionary<string, string> cookies, string name)
    {
        var value = cookies.TryGetValue(name, out var v) ? v : throw new InvalidOperationException($"The browser has no {name} cookie: not signed in?");
        if (!value.StartsWith("chunks-", StringComparison.Ordinal))
        {
            return value;
        }

        var count = int.Parse(value["chunks-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        return string.Concat(Enumerable.Range(1, count).Select(i => cookies[$"{name}C{i}"]));
    }

    private static byte[] Base64Url(string part)
    {
        var s = part.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
