using System.Net;
using System.Net.Http.Json;
using System.Web;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using CleanCognito.Web.FunctionalTests.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanCognito.Web.FunctionalTests;

/// <summary>
/// One failed call to each upstream, signed in for real against the stand-ins, with every log
/// category at Trace: the failure is exactly one Warning line naming the upstream, the kind and the
/// request's correlation id, no line carries an exception (an expected outage has no stack trace),
/// and no token or sign-in code appears at any level. The stand-ins' fail-next hooks make each
/// upstream fail past the app's retries; the stack is reset afterwards for the other tests.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class UpstreamFailureLogTests(LocalAwsStack stack) : IAsyncLifetime
{
    public Task InitializeAsync() => stack.ResetAsync();

    public Task DisposeAsync() => stack.ResetAsync();

    [Theory]
    [InlineData("AppSync", "AppSync", "/Objects")]
    [InlineData("identity pool", "Cognito Identity", "/Files")]
    [InlineData("S3", "file storage", "/Files")]
    [InlineData("DynamoDB", "notes", "/Notes")]
    [InlineData("user pool", "Cognito", "/Account/Profile")]
    public async Task One_failed_upstream_call_logs_one_Warning_without_a_stack_trace_or_a_secret(string upstream, string named, string path)
    {
        // The user pool is called on a refresh: a client whose tokens live 5 s, waited past.
        var userPool = upstream == "user pool";
        using var app = LocalSignIn.App(
            stack,
            userPool ? LocalAwsStack.ShortLivedClientId : LocalAwsStack.PublicClientId,
            new Dictionary<string, string?> { ["Cognito:ExpirationLeewaySeconds"] = "0" });
        app.LogEverything();
        var client = app.CreateHttpsClient();
        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/");
        var code = HttpUtility.ParseQueryString(signIn.Callback!.Query)["code"];
        string?[] secrets = [code, .. LocalSignIn.TokenCookieNames.Select(signIn.Cookie)];
        if (userPool)
        {
            await Expiry.WaitPastAsync(signIn.Cookie("cognito_access_token"));
        }

        await FailNextAsync(upstream);
        var before = app.Logs.Entries.Count;
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Correlation-Id", "failed-call-probe");

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var call = app.Logs.Entries.Skip(before).ToList();
        call.Where(e => e.Level >= LogLevel.Warning).Should().ContainSingle(Describe(call))
            .Which.Should().Match<CapturedLog>(e => e.Level == LogLevel.Warning);
        var warning = call.Single(e => e.Level >= LogLevel.Warning).Message;
        warning.Should().StartWith($"Upstream {named} unavailable (").And.EndWith("Correlation id failed-call-probe");
        call.Where(e => e.Exception is not null).Should().BeEmpty("an expected outage carries no stack trace: " + Describe(call.Where(e => e.Exception is not null)));

        code.Should().NotBeNullOrEmpty();
        foreach (var entry in app.Logs.Entries)
        {
            var text = string.Join('\n', new[] { entry.Message, entry.Exception?.ToString() }.Concat(entry.Scope.Select(s => $"{s.Key}={s.Value}")));
            text.Should().NotContain(code!, $"[{entry.Level} {entry.Category}] must not log the sign-in code");
            SecretLeaks.Find(text, secrets).Should().BeNull($"[{entry.Level} {entry.Category}] must not log a token: {entry.Message}");
            text.Should().NotContainAny(["X-Amz-Signature", "X-Amz-Security-Token", "X-Amz-Credential"], "no signed URL at any level");
        }
    }

    [Fact]
    public async Task A_failed_card_on_the_home_page_answers_200_and_logs_its_one_Warning()
    {
        using var app = LocalSignIn.App(stack);
        var client = app.CreateHttpsClient();
        await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/");
        await FailNextAsync("S3");
        var before = app.Logs.Entries.Count;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Correlation-Id", "failed-card-probe");

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the other cards still show");
        (await response.Content.ReadAsStringAsync()).Should().Contain("id=\"files-unavailable\"");
        var call = app.Logs.Entries.Skip(before).ToList();
        call.Where(e => e.Level >= LogLevel.Warning).Should().ContainSingle(Describe(call))
            .Which.Message.Should().StartWith("Upstream file storage unavailable (").And.EndWith("Correlation id failed-card-probe");
        call.Where(e => e.Exception is not null).Should().BeEmpty("an expected outage carries no stack trace: " + Describe(call.Where(e => e.Exception is not null)));
    }

    [Fact]
    public async Task A_failed_code_redemption_at_sign_in_logs_one_Warning_without_a_stack_trace_or_the_code()
    {
        using var app = LocalSignIn.App(stack);
        app.LogEverything();
        var client = app.CreateHttpsClient();
        await FailNextAsync("user pool");

        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/");

        signIn.LandedOn.Should().Be("/Account/SignInFailed");
        var code = HttpUtility.ParseQueryString(signIn.Callback!.Query)["code"];
        code.Should().NotBeNullOrEmpty();
        var callback = app.Logs.Entries.SkipWhile(e => !e.Message.Contains("/signin-oidc", StringComparison.Ordinal)).ToList();
        callback.Where(e => e.Level >= LogLevel.Warning).Should().ContainSingle(Describe(callback))
            .Which.Message.Should().StartWith("Upstream Cognito unavailable (").And.Contain("Correlation id ");
        callback.Where(e => e.Exception is not null).Should().BeEmpty("an expected outage carries no stack trace: " + Describe(callback.Where(e => e.Exception is not null)));
        app.Logs.Entries.Should().NotContain(e => e.Message.Contains(code!, StringComparison.Ordinal), "the sign-in code is never logged");
    }

    /// <summary>The next calls to <paramref name="upstream"/> fail, more of them than the app retries.</summary>
    private async Task FailNextAsync(string upstream)
    {
        var (hook, body) = upstream switch
        {
            "AppSync" => ($"{new Uri(stack.AppSync).GetLeftPart(UriPartial.Authority)}/_local/fail-next", (object)new { target = "/graphql", status = 500, count = 20 }),
            "identity pool" => ($"{stack.Identity}/_local/fail-next", new { target = "GetId", type = "InternalErrorException", status = 500, count = 20 }),
            "S3" => ($"{stack.S3}/_local/fail-next", new { target = "s3", count = 20 }),
            "DynamoDB" => ($"{stack.S3}/_local/fail-next", new { target = "dynamodb", count = 20 }),
            "user pool" => ($"{stack.Idp}/_local/fail-next", new { target = "/oauth2/token", status = 500, count = 20 }),
            _ => throw new ArgumentOutOfRangeException(nameof(upstream), upstream, "no hook for this upstream"),
        };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.PostAsJsonAsync(new Uri(hook), body);
        response.EnsureSuccessStatusCode();
    }

    private static string Describe(IEnumerable<CapturedLog> entries) =>
        string.Join("\n", entries.Where(e => e.Level >= LogLevel.Information || e.Exception is not null)
            .Select(e => $"[{e.Level} {e.Category}] {e.Message} {e.Exception?.GetType().Name}"));
}
