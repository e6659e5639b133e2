using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Instances;
using Xunit.Abstractions;

namespace CleanCognito.Instances.Tests;

/// <summary>An instance or the shared store goes away under a signed-in user, and comes back.</summary>
[Collection(CleanCognito.TestSupport.LocalAwsGroup.Name)]
public sealed class BalancedOutageTests(BalancedApp app, ITestOutputHelper output) : BalancedTest(app)
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] SignedInPages = ["/", "/Account/Profile", "/Objects", "/Files", "/Notes"];

    [Fact]
    public async Task Stopping_an_instance_mid_load_leaves_the_other_serving_and_loses_no_session()
    {
        using var browser = App.NewBrowser();
        await browser.SignInAsync(App.Stack.Alice, "/");
        var cookie = browser.Cookies.CookieHeader();
        using var client = PlainClient();
        var results = new ConcurrentQueue<Result>();
        using var stopLoad = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var stoppedAt = TimeSpan.MaxValue;

        // Four browsers' worth of requests, back to back, all on the one session.
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stopLoad.IsCancellationRequested)
            {
                var started = clock.Elapsed;
                results.Enqueue(await ProfileAsync(client, cookie, started));
            }
        })).ToList();

        await Eventually.TrueAsync("both instances served the load", () => results.Count(r => r.Instance == "A") >= 5 && results.Count(r => r.Instance == "B") >= 5, RecoveryTimeout);
        await App.A.StopAsync();
        stoppedAt = clock.Elapsed;
        await Eventually.TrueAsync("40 requests started after A was gone", () => results.Count(r => r.Started > stoppedAt) >= 40, RecoveryTimeout);
        await stopLoad.CancelAsync();
        await Task.WhenAll(load);

        var all = results.ToList();
        output.WriteLine($"{all.Count} requests: {all.Count(r => r.Started < stoppedAt)} before A was confirmed dead (A {all.Count(r => r.Started < stoppedAt && r.Instance == "A")}, B {all.Count(r => r.Started < stoppedAt && r.Instance == "B")}), "
            + $"{all.Count(r => r.Started > stoppedAt)} after (B {all.Count(r => r.Started > stoppedAt && r.Instance == "B")}); not 200: {all.Count(r => r.Status != HttpStatusCode.OK)}");
        all.Should().NotContain(r => r.Status == HttpStatusCode.Redirect, "no request was sent to sign in again: the session lives in the cookies, not in instance A");
        all.Where(r => r.Status != HttpStatusCode.OK).Should().NotContain(r => r.Started > stoppedAt || r.Status != HttpStatusCode.BadGateway,
            "at most the requests in flight to A when it died fail (nginx answers 502), never one sent later");
        all.Where(r => r.Started > stoppedAt).Should().OnlyContain(r => r.Status == HttpStatusCode.OK && r.Instance == "B" && r.SignedIn,
            "once A is gone, B answers every request, signed in");

        // A back on its port: it reads the key ring from Redis and takes the same session.
        await App.EnsureAllRunningAsync();
        var again = new[] { await ProfileAsync(client, cookie, clock.Elapsed), await ProfileAsync(client, cookie, clock.Elapsed) };
        again.Should().OnlyContain(r => r.Status == HttpStatusCode.OK && r.SignedIn);
        again.Select(r => r.Instance).Should().BeEquivalentTo(["A", "B"]);
    }

    [Fact]
    public async Task With_Redis_down_pages_keep_working_per_instance_never_500_and_the_shared_store_returns_with_Redis()
    {
        using var browser = App.NewBrowser();
        await browser.SignInAsync(App.Stack.Alice, "/");
        using var client = PlainClient();
        var cookie = browser.Cookies.CookieHeader();

        await App.Redis.StopAsync();
        try
        {
            var during = new List<Result>();
            foreach (var page in SignedInPages.Concat(SignedInPages))
            {
                during.Add(await GetAsync(client, page, cookie));
            }

            output.WriteLine("Redis down: " + string.Join(", ", during.Select(r => $"{r.Path} → {r.Instance} {(int)r.Status}")));
            during.Should().NotContain(r => r.Status == HttpStatusCode.InternalServerError);
            during.Select(r => r.Instance).Distinct().Should().BeEquivalentTo(["A", "B"]);
            // DEGRADE, as documented: each instance carries on with its own memory while the shared store is away.
            during.Should().OnlyContain(r => r.Status == HttpStatusCode.OK && r.SignedIn,
                "with Redis down the pages degrade to per-instance caches instead of failing: {0}",
                string.Join(", ", during.Select(r => $"{r.Path} → {r.Instance} {(int)r.Status}")));

            // A new sign-in during the outage still completes across the instances (the key ring is in
            // memory). Alice again: bob's credentials must stay cold for BalancedSingleFlightTests.
            using var newcomer = App.NewBrowser();
            (await newcomer.SignInAsync(App.Stack.Alice, "/Account/Profile")).LandedOn.Should().Be("/Account/Profile");
        }
        finally
        {
            await App.Redis.StartAsync();
        }

        await Eventually.TrueAsync("both instances reconnected to Redis", async () => (await App.InstancesConnectedToRedisAsync()).Count == App.Instances.Count, RecoveryTimeout);
        var after = new List<Result>();
        foreach (var page in SignedInPages.Concat(SignedInPages))
        {
            after.Add(await GetAsync(client, page, cookie));
        }

        after.Should().OnlyContain(r => r.Status == HttpStatusCode.OK && r.SignedIn);

        // The shared store is in use again: a sign-out on one instance is seen by the other.
        using var last = App.NewBrowser();
        await last.SignInAsync(App.Stack.Alice, "/");
        var oldCookies = $"cognito_access_token={last.Cookies["cognito_access_token"]}; cognito_id_token={last.Cookies["cognito_id_token"]}";
        using var form = await last.GetAsync("/Account/Logout");
        using var signOut = await last.Http.PostAsync(new Uri("/Account/Logout", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = AntiforgeryToken(await form.Content.ReadAsStringAsync()) }));
        signOut.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var replays = new[] { await GetAsync(client, "/Account/Profile", oldCookies), await GetAsync(client, "/Account/Profile", oldCookies) };
        replays.Should().OnlyContain(r => r.Status == HttpStatusCode.Redirect, "after Redis returned, a sign-out reaches every instance again");
        replays.Select(r => r.Instance).Should().BeEquivalentTo(["A", "B"]);
    }

    private sealed record Result(string Path, TimeSpan Started, HttpStatusCode Status, string Instance, bool SignedIn);

    private Task<Result> ProfileAsync(HttpClient client, string cookie, TimeSpan started) => GetAsync(client, "/Account/Profile", cookie, started);

    private async Task<Result> GetAsync(HttpClient client, string path, string cookie, TimeSpan started = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var instance = response.Headers.Contains("X-Upstream") ? App.InstanceOf(response) : "none";
        return new Result(path, started, response.StatusCode, instance, body.Contains("id=\"sign-out\"", StringComparison.Ordinal));
    }

    private HttpClient PlainClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = App.Balancer.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
}
