using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Web;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using CleanCognito.Web.FunctionalTests.Authentication;
using CleanCognito.Web.FunctionalTests.Files;
using Microsoft.Extensions.DependencyInjection;

namespace CleanCognito.Web.FunctionalTests.Telemetry;

/// <summary>
/// With an OTLP endpoint configured, the app's metrics move on real flows against the stand-ins
/// (real sign-in, real identity pool, S3 front and AppSync), they reach the OTLP receiver, and no
/// token, code, credential or signed URL lands in any exported span or export body.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class TelemetryFlowTests(LocalAwsStack stack)
{
    private const string Lookups = "cleancognito.credentials.lookups";
    private const string IdentityPoolCalls = "cleancognito.identity_pool.calls";
    private const string Refreshes = "cleancognito.session.refreshes";
    private const string AppSyncErrors = "cleancognito.appsync.errors";
    private const string Uploaded = "cleancognito.files.uploaded";
    private const string UpstreamCalls = "cleancognito.upstream.calls";

    [Fact]
    public async Task Each_metric_moves_on_a_real_flow_and_reaches_the_OTLP_receiver_without_a_secret()
    {
        using var receiver = new OtlpReceiver();
        using var telemetry = new TelemetryCapture();
        // No retries: one failed AppSync answer is then one error at the gateway.
        using var app = TelemetryApp(receiver, telemetry, LocalAwsStack.PublicClientId, new() { ["AppSync:MaxQueryRetries"] = "0" });
        using var client = app.CreateHttpsClient();
        telemetry.StartCollecting();
        var (signIn, code, state) = await SignInAsync(client, "/Files");
        var secrets = new List<string?> { code, state, signIn.Cookie("cognito_access_token"), signIn.Cookie("cognito_id_token"), signIn.Cookie("cognito_refresh_token") };

        // First /Files: the IdentityId and credentials are fetched: one miss, one GetId, one GetCredentialsForIdentity.
        using (var files = await client.GetAsync(new Uri("/Files", UriKind.Relative)))
        {
            files.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        telemetry.Sum(Lookups, ("result", "miss")).Should().Be(1);
        telemetry.Sum(IdentityPoolCalls, ("operation", "GetId"), ("outcome", "success")).Should().Be(1);
        telemetry.Sum(IdentityPoolCalls, ("operation", "GetCredentialsForIdentity"), ("outcome", "success")).Should().Be(1);
        var hitsAfterFirst = telemetry.Sum(Lookups, ("result", "hit"));

        // Second /Files: served from the cache.
        using (var again = await client.GetAsync(new Uri("/Files", UriKind.Relative)))
        {
            again.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        telemetry.Sum(Lookups, ("result", "miss")).Should().Be(1, "the credentials are cached");
        telemetry.Sum(Lookups, ("result", "hit")).Should().BeGreaterThan(hitsAfterFirst);
        telemetry.Sum(IdentityPoolCalls).Should().Be(2, "no exchange on a cache hit");

        // An upload counts its bytes once it is stored.
        var content = new byte[12_345];
        Random.Shared.NextBytes(content);
        var name = $"telemetry-{Guid.NewGuid():N}.bin";
        var filesClient = new FilesClient(client);
        using (var upload = await filesClient.UploadStreamAsync(name, content))
        {
            upload.IsSuccessStatusCode.Should().BeTrue(await upload.Content.ReadAsStringAsync());
        }

        telemetry.Sum(Uploaded).Should().Be(content.Length);

        // A download hands out a presigned URL: its signature must not reach telemetry either.
        using (var download = await filesClient.DownloadAsync(name))
        {
            download.StatusCode.Should().Be(HttpStatusCode.Redirect);
            var signed = HttpUtility.ParseQueryString(download.Headers.Location!.Query);
            secrets.Add(signed["X-Amz-Signature"].Should().NotBeNullOrEmpty().And.Subject);
            secrets.Add(signed["X-Amz-Security-Token"]);
        }

        // A resolver error, by its GraphQL type: an edited page token.
        using (var badPage = await client.GetAsync(new Uri("/Objects?nextToken=bm90LWEtcmVhbC1wYWdlLXRva2Vu", UriKind.Relative)))
        {
            badPage.StatusCode.Should().NotBe(HttpStatusCode.InternalServerError);
        }

        telemetry.Sum(AppSyncErrors, ("error.type", "BadRequestException")).Should().Be(1);

        // A failed answer, by its status.
        await AppSyncFailNextAsync(500);
        using (var outage = await client.GetAsync(new Uri("/Objects", UriKind.Relative)))
        {
            outage.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }

        telemetry.Sum(AppSyncErrors, ("error.type", "http_500")).Should().Be(1);
        telemetry.Sum(AppSyncErrors).Should().Be(2);

        // Every upstream counted in one style (UpstreamCall): upstream, operation, outcome.
        telemetry.Sum(UpstreamCalls, ("upstream", "cognito-identity"), ("operation", "GetId"), ("outcome", "success")).Should().Be(1);
        telemetry.Sum(UpstreamCalls, ("upstream", "s3"), ("operation", "PutObject"), ("outcome", "success")).Should().Be(1);
        telemetry.Sum(UpstreamCalls, ("upstream", "s3"), ("outcome", "success")).Should().BeGreaterThan(1, "the two lists and the upload");
        telemetry.Sum(UpstreamCalls, ("upstream", "appsync"), ("operation", "ListMyObjects"), ("outcome", "unavailable")).Should().Be(1);
        telemetry.Sum(UpstreamCalls, ("upstream", "appsync"), ("outcome", "success")).Should().BeGreaterThan(0);

        // The AWS credentials the cache holds now (a hit: no new exchange) are secrets too.
        var credentials = await CurrentCredentialsAsync(app, signIn);
        secrets.AddRange([credentials.AccessKeyId, credentials.SecretKey, credentials.SessionToken]);

        await AssertSpansAsync(telemetry, code);
        telemetry.FlushAll();
        AssertNoSecret(telemetry, receiver, secrets);

        // The OTLP exporter really sent the app's spans, instruments and logs to the receiver.
        receiver.Paths.Should().Contain(["/v1/metrics", "/v1/traces", "/v1/logs"]);
        receiver.Text().Should().Contain(Lookups).And.Contain(IdentityPoolCalls).And.Contain(AppSyncErrors).And.Contain(Uploaded).And.Contain(UpstreamCalls)
            .And.Contain("cognito-identity GetCredentialsForIdentity");
    }

    [Fact]
    public async Task A_refresh_is_counted_by_outcome_once_per_call_to_the_user_pool()
    {
        using var receiver = new OtlpReceiver();
        using var telemetry = new TelemetryCapture();
        using var app = TelemetryApp(receiver, telemetry, LocalAwsStack.ShortLivedClientId, new() { ["Cognito:ExpirationLeewaySeconds"] = "0" });
        using var client = app.CreateHttpsClient(keepCookies: false);
        telemetry.StartCollecting();
        var (renewed, _, _) = await SignInAsync(app.CreateHttpsClient(), "/Account/Profile");
        var (refused, _, _) = await SignInAsync(app.CreateHttpsClient(), "/Account/Profile");
        await Expiry.WaitPastAsync(refused.Cookie("cognito_access_token"));

        // Five requests at once with an expired session: one refresh reaches the pool, and succeeds.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var response = await GetWithCookieAsync(client, "/Account/Profile", LocalSignIn.CookieHeader(renewed));
            return response.StatusCode;
        }));
        statuses.Should().OnlyContain(s => s == HttpStatusCode.OK);
        telemetry.Sum(Refreshes, ("outcome", "success")).Should().Be(1);
        telemetry.Sum(Refreshes, ("outcome", "refused")).Should().Be(0);

        // The pool forgets every refresh token: the other session's refresh is refused, and counted as such.
        await LocalSignIn.ResetIdpAsync(stack);
        using (var response = await GetWithCookieAsync(client, "/Account/Profile", LocalSignIn.CookieHeader(refused)))
        {
            response.StatusCode.Should().Be(HttpStatusCode.Redirect, "a refused refresh sends the user to sign in");
        }

        telemetry.Sum(Refreshes, ("outcome", "refused")).Should().Be(1);
        telemetry.Sum(Refreshes).Should().Be(2);
        var span = await telemetry.SpanAsync(s => s.DisplayName == "cognito-idp refresh" && Tag(s, "cleancognito.outcome") == "refused", "the refused refresh");
        span.Status.Should().NotBe(ActivityStatusCode.Error, "a refused refresh token is an answer, not a failure of the pool");
        telemetry.FlushAll();
        SecretLeaks.Find(telemetry.SpanText() + receiver.Text(), [renewed.Cookie("cognito_access_token"), renewed.Cookie("cognito_id_token"), refused.Cookie("cognito_id_token")])
            .Should().BeNull();
    }

    private CleanCognitoAppFactory TelemetryApp(OtlpReceiver receiver, TelemetryCapture telemetry, string clientId, Dictionary<string, string?> settings)
    {
        settings["Telemetry:OtlpEndpoint"] = receiver.Url;
        settings["Telemetry:OtlpProtocol"] = "http/protobuf";
        var app = LocalSignIn.App(stack, clientId, settings);
        telemetry.AttachTo(app);
        return app;
    }

    /// <summary>The app's real sign-in, step by step, keeping the authorization code and state the callback carried.</summary>
    private async Task<(AppSignInResult SignIn, string Code, string State)> SignInAsync(HttpClient client, string returnUrl)
    {
        var authorize = await AppSignIn.StartAsync(client, returnUrl);
        using var idp = HostedUiClient.NewHttpClient();
        using var post = await HostedUiClient.PostSignInFormAsync(idp, authorize, stack.Alice.Username, stack.Alice.Password);
        var callback = post.Headers.Location!;
        var query = HttpUtility.ParseQueryString(callback.Query);
        using var landed = await client.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));
        landed.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var signIn = new AppSignInResult(landed.Headers.GetValues("Set-Cookie").ToList(), landed.Headers.Location!.OriginalString);
        return (signIn, query["code"]!, query["state"]!);
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(HttpClient client, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    private async Task AppSyncFailNextAsync(int status)
    {
        using var http = new HttpClient();
        var hook = new Uri(new Uri(stack.AppSync), "/_local/fail-next");
        using var response = await http.PostAsJsonAsync(hook, new { target = "/graphql", status, count = 1 });
        response.EnsureSuccessStatusCode();
    }

    private static async Task<IdentityCredentials> CurrentCredentialsAsync(CleanCognitoAppFactory app, AppSignInResult signIn)
    {
        var idToken = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(signIn.Cookie("cognito_id_token"));
        var expires = new DateTimeOffset(idToken.ValidTo, TimeSpan.Zero);
        var tokens = new UserTokens(signIn.Cookie("cognito_access_token"), signIn.Cookie("cognito_id_token"), idToken.Issuer, idToken.Subject, expires, expires);
        return await app.Services.GetRequiredService<ICredentialCache>().GetAsync(tokens, CancellationToken.None);
    }

    private async Task AssertSpansAsync(TelemetryCapture telemetry, string code)
    {
        // The callback's span records the query with its values redacted: the code never appears.
        var callback = await telemetry.SpanAsync(s => s.Kind == ActivityKind.Server && Tag(s, "url.path") == "/signin-oidc", "the sign-in callback");
        Tag(callback, "url.query").Should().Contain("code=").And.NotContain(code);

        // The app's own spans for the exchange, under the /Files request that caused them.
        // (Other test hosts in this process trace too; only this test's stand-ins answer "success".)
        var getId = await telemetry.SpanAsync(s => s.DisplayName == "cognito-identity GetId" && Tag(s, "cleancognito.outcome") == "success", "GetId");
        var getCredentials = await telemetry.SpanAsync(s => s.DisplayName == "cognito-identity GetCredentialsForIdentity" && Tag(s, "cleancognito.outcome") == "success", "GetCredentialsForIdentity");
        getId.TraceId.Should().Be(getCredentials.TraceId, "one /Files request made both calls");
        await telemetry.SpanAsync(s => s.Kind == ActivityKind.Server && s.TraceId == getId.TraceId && Tag(s, "url.path") == "/Files", "the /Files request around the exchange");

        // HttpClient spans exist for each upstream, so the secret scan below covered their URLs.
        await telemetry.SpanAsync(s => s.Kind == ActivityKind.Client && Tag(s, "url.full")?.StartsWith(stack.Identity, StringComparison.Ordinal) == true, "an identity pool call");
        await telemetry.SpanAsync(s => s.Kind == ActivityKind.Client && Tag(s, "url.full")?.StartsWith(stack.AppSync, StringComparison.Ordinal) == true, "an AppSync call");
        await telemetry.SpanAsync(s => s.Kind == ActivityKind.Client && Tag(s, "url.full")?.StartsWith(stack.S3, StringComparison.Ordinal) == true, "an S3 call");
        var failed = await telemetry.SpanAsync(
            s => s.Kind == ActivityKind.Client && Tag(s, "url.full")?.StartsWith(stack.AppSync, StringComparison.Ordinal) == true && Tag(s, "http.response.status_code") == "500",
            "the AppSync call that failed");
        var outage = await telemetry.SpanAsync(s => s.Kind == ActivityKind.Server && s.TraceId == failed.TraceId, "the /Objects request of that call");
        var appSyncCall = await telemetry.SpanAsync(s => s.DisplayName == "appsync ListMyObjects" && s.TraceId == failed.TraceId, "the app's own span of that AppSync call");
        Tag(appSyncCall, "cleancognito.outcome").Should().Be("unavailable");
        appSyncCall.Status.Should().Be(ActivityStatusCode.Error);
        Tag(outage, "url.path").Should().Be("/Objects");
        Tag(outage, "http.response.status_code").Should().Be("503");
    }

    private static void AssertNoSecret(TelemetryCapture telemetry, OtlpReceiver receiver, List<string?> secrets)
    {
        secrets.Should().OnlyContain(s => !string.IsNullOrEmpty(s), "every secret of the flow was captured");
        var spans = telemetry.SpanText();
        spans.Should().NotBeEmpty();
        SecretLeaks.Find(spans, secrets).Should().BeNull("no token, code, credential or signature may be a span attribute");
        foreach (var shortSecret in secrets.Where(s => s!.Length < SecretLeaks.MinLength))
        {
            spans.Should().NotContain(shortSecret);
        }

        // What left the process over OTLP: spans, metrics and logs.
        var exported = receiver.Text();
        SecretLeaks.Find(exported, secrets).Should().BeNull("no secret may leave over OTLP");
        foreach (var shortSecret in secrets.Where(s => s!.Length < SecretLeaks.MinLength))
        {
            exported.Should().NotContain(shortSecret);
        }
    }

    private static string? Tag(Activity span, string key) => span.GetTagItem(key)?.ToString();
}
