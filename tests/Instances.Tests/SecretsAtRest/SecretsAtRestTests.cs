using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Web;
using System.Xml.Linq;
using Amazon.KeyManagementService.Model;
using CleanCognito.Infrastructure.DataProtection;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Instances;

namespace CleanCognito.Instances.Tests.SecretsAtRest;

/// <summary>
/// Whoever can read the shared cache must not read what it protects (issue 21, item 4): after a whole
/// journey through both instances every Redis key is read by its type and searched for master keys,
/// tokens, credentials and key-ring XML in clear — and the same scan, on an instance whose key ring is
/// not encrypted with KMS, does find the key ring, so the scan can fail.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class SecretsAtRestTests(BalancedApp app) : BalancedTest(app)
{
    /// <summary>The Redis list that holds the key ring (Web's DataProtectionSetup.RedisKey).</summary>
    private const string KeyRingKey = "CleanCognito:DataProtection-Keys";

    [Fact]
    public async Task After_a_whole_journey_no_master_key_token_credential_or_key_ring_xml_is_readable_in_Redis()
    {
        var secrets = new List<string>();
        using var browser = App.NewBrowser();
        await browser.SignInAsync(App.Stack.Alice, "/Objects");
        secrets.AddRange(SessionCookies(browser));

        (await Page(browser, "/Objects")).Should().Contain("/Objects/");

        // A file up and down (the download's presigned URL carries the session token of the cached credentials).
        var content = "secrets at rest"u8.ToArray();
        using (var upload = new MultipartFormDataContent())
        {
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            upload.Add(file, "file", "at-rest.txt");
            upload.Add(new StringContent(AntiforgeryToken(await Page(browser, "/Files"))), "__RequestVerificationToken");
            using var uploaded = await browser.Http.PostAsync(new Uri("/Files?handler=Upload", UriKind.Relative), upload);
            uploaded.StatusCode.Should().Be(HttpStatusCode.Redirect, await uploaded.Content.ReadAsStringAsync());
        }

        using (var download = await browser.GetAsync("/Files/Download?name=at-rest.txt"))
        {
            download.StatusCode.Should().Be(HttpStatusCode.Redirect);
            secrets.Add(HttpUtility.ParseQueryString(download.Headers.Location!.Query)["X-Amz-Security-Token"]!);
            using var s3 = new HttpClient();
            (await s3.GetByteArrayAsync(download.Headers.Location)).Should().Equal(content);
        }

        // A refresh (its result is shared through Redis): the session's tokens replaced by expired ones.
        var expired = await App.MintTokensAsync(App.Stack.Alice, expiresInSeconds: -60);
        secrets.AddRange([expired.AccessToken, expired.IdToken]);
        browser.Cookies.Set("cognito_access_token", expired.AccessToken);
        browser.Cookies.Set("cognito_id_token", expired.IdToken);
        (await Page(browser, "/Account/Profile")).Should().Contain("id=\"profile-username\">alice<");
        browser.Cookies["cognito_access_token"].Should().NotBe(expired.AccessToken, "the session was refreshed");
        secrets.AddRange(SessionCookies(browser));

        // Sign-out (the denylist is written to Redis).
        var logout = AntiforgeryToken(await Page(browser, "/Account/Logout"));
        using (var signedOut = await browser.Http.PostAsync(
            new Uri("/Account/Logout", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = logout })))
        {
            signedOut.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        // What the stand-ins really issued, and the master keys themselves (opened with KMS, as only the task role may).
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var refreshTokens = (await http.GetFromJsonAsync<List<string>>(new Uri($"{App.Stack.Idp}/_local/issued-refresh-tokens")))!;
        var credentials = (await http.GetFromJsonAsync<List<IssuedCredentials>>(new Uri($"{App.Stack.Identity}/_local/issued-credentials")))!;
        refreshTokens.Should().NotBeEmpty();
        credentials.Should().NotBeEmpty("the journey made the app exchange alice's tokens");
        secrets.AddRange(refreshTokens);
        secrets.AddRange(credentials.SelectMany(c => new[] { c.SecretKey, c.SessionToken }));
        var masterKeys = await MasterKeysAsync();
        masterKeys.Should().NotBeEmpty();
        secrets.AddRange(masterKeys);

        var entries = await RedisContents.ReadAllAsync(App.Redis.Configuration);
        entries.Select(e => e.Type).Distinct().Should().Contain(["List", "SortedSet", "String"],
            "the journey stored the key ring (a list), the sign-out denylist (a sorted set) and cached credentials (strings): the scan reads them all");
        SecretsAtRestScan.Find(entries, secrets).Should().BeEmpty();

        // The scan finds these very values when they are there: planted in a key of their own, each is reported.
        var planted = new[] { expired.AccessToken, credentials[0].SecretKey, credentials[0].SessionToken, refreshTokens[0], masterKeys[0] };
        planted.Should().OnlyContain(secret => SecretsAtRestScan.Find(new[] { new RedisEntry("planted", "String", $"prefix {secret} suffix") }, secrets).Count > 0);
    }

    [Fact]
    public async Task With_KMS_off_the_same_scan_finds_the_key_ring_in_clear()
    {
        var redis = new RedisServer();
        await redis.InitializeAsync();
        try
        {
            await using var clear = new AppInstanceProcess("clear", FreePort.Pick(), App.InstanceEnvironment("clear", redis, encryptKeyRing: false));
            await clear.StartAsync();
            using var browser = new BalancedBrowser(new Uri($"http://{clear.UpstreamAddress}"));
            // The sign-in's start protects its state with Data Protection: the first key is made and stored.
            await TestSupport.Web.AppSignIn.StartAsync(browser.Http, "/");

            var findings = SecretsAtRestScan.Find(await RedisContents.ReadAllAsync(redis.Configuration), []);

            findings.Should().Contain(f => f.Contains("<masterKey>", StringComparison.Ordinal))
                .And.Contain(f => f.Contains("key-ring XML in clear", StringComparison.Ordinal))
                .And.OnlyContain(f => f.StartsWith($"List {KeyRingKey}:", StringComparison.Ordinal));
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_key_of_the_ring_opens_only_with_the_apps_encryption_context()
    {
        using var browser = App.NewBrowser();
        await TestSupport.Web.AppSignIn.StartAsync(browser.Http, "/");
        var encrypted = (await EncryptedKeysAsync()).First();
        using var kms = App.Stack.KmsClient();

        var withoutContext = () => kms.DecryptAsync(new DecryptRequest { KeyId = encrypted.KeyId, CiphertextBlob = new MemoryStream(encrypted.Ciphertext) });
        var elsewhere = () => kms.DecryptAsync(new DecryptRequest
        {
            KeyId = encrypted.KeyId,
            CiphertextBlob = new MemoryStream(encrypted.Ciphertext),
            EncryptionContext = new Dictionary<string, string> { ["application"] = "another-app", ["purpose"] = "Microsoft.AspNetCore.DataProtection key ring" },
        });

        await withoutContext.Should().ThrowAsync<InvalidCiphertextException>();
        await elsewhere.Should().ThrowAsync<InvalidCiphertextException>();
    }

    /// <summary>Each key of the ring opened with KMS: the base64 <c>&lt;value&gt;</c> and its bytes one-to-one as text.</summary>
    private async Task<List<string>> MasterKeysAsync()
    {
        using var kms = App.Stack.KmsClient();
        var keys = new List<string>();
        foreach (var (keyId, ciphertext) in await EncryptedKeysAsync())
        {
            var response = await kms.DecryptAsync(new DecryptRequest
            {
                KeyId = keyId,
                CiphertextBlob = new MemoryStream(ciphertext),
                EncryptionContext = new Dictionary<string, string>(KeyRingKms.EncryptionContext),
            });
            var value = XElement.Parse(Encoding.UTF8.GetString(response.Plaintext.ToArray())).Element("value")!.Value;
            keys.AddRange([value, Encoding.Latin1.GetString(Convert.FromBase64String(value))]);
        }

        return keys;
    }

    /// <summary>The KMS ciphertext of every key in the ring; fails if any key is stored otherwise.</summary>
    private async Task<List<(string KeyId, byte[] Ciphertext)>> EncryptedKeysAsync()
    {
        var ring = (await RedisContents.ReadAllAsync(App.Redis.Configuration)).Where(e => e.Key == KeyRingKey && e.Text != KeyRingKey).ToList();
        ring.Should().NotBeEmpty("the key ring lives in Redis");
        return ring.Select(entry =>
        {
            var encrypted = XElement.Parse(entry.Text).Descendants("kmsEncryptedKey").Should().ContainSingle($"every key is KMS-encrypted: {entry.Text}").Subject;
            return ((string)encrypted.Element("kmsKeyId")!, Convert.FromBase64String((string)encrypted.Element("ciphertext")!));
        }).ToList();
    }

    private static async Task<string> Page(BalancedBrowser browser, string path)
    {
        using var response = await browser.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, "{0}: {1}", path, html);
        return html;
    }

    private static readonly string[] SessionCookieNames = ["cognito_access_token", "cognito_id_token", "cognito_refresh_token"];

    private static IEnumerable<string> SessionCookies(BalancedBrowser browser) =>
        SessionCookieNames.Select(name => browser.Cookies[name]).OfType<string>();

    private sealed record IssuedCredentials(string AccessKeyId, string SecretKey, string SessionToken);
}
