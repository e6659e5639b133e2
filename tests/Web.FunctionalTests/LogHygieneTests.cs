using System.Net;
using System.Web;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using CleanCognito.Web.FunctionalTests.Authentication;
using CleanCognito.Web.FunctionalTests.Files;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CleanCognito.Web.FunctionalTests;

/// <summary>
/// What the app logs, with every category at Trace, through a sign-in, an AppSync page, an upload, a
/// download, a refresh and an AppSync outage: the outage is one Warning line naming the upstream and
/// the exception type (no stack trace), each refresh is logged once, and no token or presigned URL
/// appears at any level. Once on its own and once with the shared store (Redis with AUTH: the key ring,
/// encrypted with the stand-ins' KMS key, the shared flights of refresh and credential exchange, the
/// credential cache and the sign-out denylist log too; the Redis password must not appear either).
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class LogHygieneTests(LocalAwsStack stack, RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    private static readonly string[] PresignedMarkers = ["X-Amz-Signature", "X-Amz-Security-Token", "X-Amz-Credential"];

    private readonly WireMockServer _appSyncLine = WireMockServer.Start();

    public void Dispose()
    {
        _appSyncLine.Stop();
        _appSyncLine.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task At_trace_level_an_outage_is_one_warning_a_refresh_one_line_and_no_secret_is_logged(bool sharedStore)
    {
        ConnectAppSync();
        var settings = new Dictionary<string, string?>
        {
            ["Cognito:ExpirationLeewaySeconds"] = "0",
            ["AppSync:Endpoint"] = $"{_appSyncLine.Url}/graphql",
            ["AppSync:TimeoutSeconds"] = "4",
            ["AppSync:AttemptTimeoutSeconds"] = "2",
            ["AppSync:MaxQueryRetries"] = "1",
        };
        if (sharedStore)
        {
            foreach (var (key, value) in redis.Settings().Concat(stack.KmsSettings()))
            {
                settings[key] = value;
            }
        }

        using var app = LocalSignIn.App(stack, LocalAwsStack.ShortLivedClientId, settings);
        app.LogEverything();
        if (sharedStore)
        {
            // The KMS client with the local test key (the app process's default chain has none here).
            app.ConfigureTestServices(services => services.AddKeyedSingleton<Amazon.KeyManagementService.IAmazonKeyManagementService>(
                CleanCognito.Infrastructure.DataProtection.KeyRingKms.ClientKey, stack.KmsClient()));
        }

        var client = app.CreateHttpsClient();
        using var files = new FilesClient(client);
        var secrets = new List<string?> { redis.Password };
        var refreshesBefore = await LocalSignIn.StatAsync(stack, "token:refresh_token");

        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/Objects");
        var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("CleanCognito.RefreshToken");
        secrets.AddRange([signIn.Cookie("cognito_access_token"), signIn.Cookie("cognito_id_token"), signIn.Cookie("cognito_refresh_token"), protector.Unprotect(signIn.Cookie("cognito_refresh_token"))]);

        // An AppSync page, an upload and a download (a presigned URL with a session token).
        using (var objects = await client.GetAsync(new Uri("/Objects", UriKind.Relative)))
        {
            objects.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using (var upload = await files.UploadStreamAsync("log-hygiene.txt", "hello"u8.ToArray(), overwrite: true))
        {
            upload.IsSuccessStatusCode.Should().BeTrue(await upload.Content.ReadAsStringAsync());
        }

        using (var download = await files.DownloadAsync("log-hygiene.txt"))
        {
            download.StatusCode.Should().Be(HttpStatusCode.Redirect);
            var url = download.Headers.Location!;
            var query = HttpUtility.ParseQueryString(url.Query);
            query["X-Amz-Signature"].Should().NotBeNullOrEmpty();
            secrets.AddRange([url.AbsoluteUri, query["X-Amz-Signature"], query["X-Amz-Security-Token"]]);
        }

        // A refresh, asked for by five requests at once.
        await Expiry.WaitPastAsync(signIn.Cookie("cognito_access_token"));
        var profiles = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.GetAsync(new Uri("/Account/Profile", UriKind.Relative))));
        foreach (var profile in profiles)
        {
            profile.StatusCode.Should().Be(HttpStatusCode.OK);
            if (profile.Headers.TryGetValues("Set-Cookie", out var set))
            {
                secrets.AddRange(set.Where(c => c.StartsWith("cognito_", StringComparison.Ordinal)).Select(c => c.Split(';')[0].Split('=', 2)[1]));
            }

            profile.Dispose();
        }

        // An expected outage: AppSync stops answering.
        var beforeOutage = app.Logs.Entries.Count;
        DisconnectAppSync();
        using (var down = await client.GetAsync(new Uri("/Objects", UriKind.Relative)))
        {
            down.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }

        var entries = app.Logs.Entries;
        entries.Should().Contain(e => e.Level == LogLevel.Trace, "the capture really ran at Trace");

        var outage = entries.Skip(beforeOutage).ToList();
        var warnings = outage.Where(e => e.Level >= LogLevel.Warning).ToList();
        warnings.Should().ContainSingle(Describe(outage, LogLevel.Warning)).Which.Message.Should().Contain("AppSync").And.MatchRegex(@"unavailable \(\w[\w ]*\): .* Correlation id ");
        outage.Where(e => e.Exception is not null).Should().BeEmpty("an expected outage carries no stack trace: " + Describe(outage.Where(e => e.Exception is not null), LogLevel.Trace));

        var refreshes = await LocalSignIn.StatAsync(stack, "token:refresh_token") - refreshesBefore;
        refreshes.Should().BeGreaterThan(0);
        entries.Count(e => e.Message.StartsWith("Session refreshed", StringComparison.Ordinal)).Should().Be(refreshes, "each refresh at the user pool is logged once");

        foreach (var entry in entries)
        {
            var text = string.Join('\n', new[] { entry.Message, entry.Exception?.ToString() }.Concat(entry.Scope.Select(s => $"{s.Key}={s.Value}")));
            PresignedMarkers.Should().NotContain(m => text.Contains(m, StringComparison.OrdinalIgnoreCase), $"[{entry.Category}] must not log a presigned URL: {entry.Message}");
            SecretLeaks.Find(text, secrets).Should().BeNull($"[{entry.Category}] must not log a token: {entry.Message}");
        }
    }

    [Fact]
    public async Task At_trace_level_the_sign_in_callbacks_code_and_state_are_never_logged()
    {
        using var app = LocalSignIn.App(stack);
        app.LogEverything();
        var client = app.CreateHttpsClient();

        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/");

        var query = HttpUtility.ParseQueryString(signIn.Callback!.Query);
        var secrets = new[] { query["code"], query["state"] };
        secrets.Should().OnlyContain(s => !string.IsNullOrEmpty(s), "the callback carried a code and a state");
        var entries = app.Logs.Entries;
        entries.Should().Contain(
            e => e.Message.Contains("/signin-oidc", StringComparison.Ordinal) && e.Message.Contains("code=[redacted]", StringComparison.Ordinal),
            "ASP.NET Core's request log still names the callback, with the code redacted");
        foreach (var entry in entries)
        {
            var text = string.Join('\n', new[] { entry.Message, entry.Exception?.ToString() }.Concat(entry.Scope.Select(s => $"{s.Key}={s.Value}")));
            secrets.Should().NotContain(s => text.Contains(s!, StringComparison.Ordinal), $"[{entry.Level} {entry.Category}] must not log the code or state: {entry.Message}");
        }
    }

    private static string Describe(IEnumerable<CapturedLog> entries, LogLevel minimum) =>
        string.Join("\n", entries.Where(e => e.Level >= minimum).Select(e => $"[{e.Level} {e.Category}] {e.Message} {e.Exception?.GetType().Name}"));

    private void ConnectAppSync()
    {
        _appSyncLine.Reset();
        _appSyncLine.Given(Request.Create().UsingAnyMethod())
            .RespondWith(Response.Create().WithProxy(new Uri(stack.AppSync).GetLeftPart(UriPartial.Authority)));
    }

    private void DisconnectAppSync()
    {
        _appSyncLine.Reset();
        _appSyncLine.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithFault(FaultType.EMPTY_RESPONSE));
    }
}
