using System.Net;
using CleanCognito.TestSupport.Instances;
using Xunit.Abstractions;

namespace CleanCognito.Instances.Tests;

/// <summary>
/// The shared credential cache after the sequence that gave 500s: Redis restarts empty (the key ring
/// and every entry gone), one instance restarts (a new key ring), and the other instance, still on
/// its old key, writes the user's credentials to Redis again. The restarted instance cannot decrypt
/// that entry: it is a miss (one more exchange), and every page answers 200.
/// </summary>
[Collection(CleanCognito.TestSupport.LocalAwsGroup.Name)]
public sealed class CredentialCacheRecoveryTests(BalancedApp app, ITestOutputHelper output) : BalancedTest(app)
{
    private static readonly string[] Pages = ["/", "/Files", "/Notes"];

    [Fact]
    public async Task After_Redis_restarts_empty_and_one_instance_restarts_the_others_entry_is_a_miss_and_pages_answer_200()
    {
        // Short-lived credentials (refreshed half-way, after 10 s), so B's in-memory copy goes stale
        // during the test and B writes a new entry to Redis with its old key.
        await App.Stack.NextCredentialsExpireAfterAsync(TimeSpan.FromSeconds(20), count: 20);
        using var browser = App.NewBrowser();
        await browser.SignInAsync(App.Stack.Bob, "/");
        var cookie = browser.Cookies.CookieHeader();
        var cachedAt = DateTime.UtcNow;

        // Redis restarts empty: as a cache without persistence would.
        await FlushRedisAsync();

        // A restarts: no key ring in Redis any more, so it makes a new key; B keeps its old one in memory.
        await App.A.StopAsync();
        await App.EnsureAllRunningAsync();
        var stale = cachedAt.AddSeconds(11) - DateTime.UtcNow;
        if (stale > TimeSpan.Zero)
        {
            await Task.Delay(stale);
        }

        // B first: its copy is stale, it exchanges and writes the entry with the key A lacks. Then A reads it.
        var answers = new List<(string Instance, string Page, HttpStatusCode Status)>();
        foreach (var (instance, port) in new[] { ("B", App.B.Port), ("A", App.A.Port), ("A", App.A.Port), ("B", App.B.Port) })
        {
            using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
                Timeout = TimeSpan.FromSeconds(60),
            };
            foreach (var page in Pages)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, page);
                request.Headers.Add("Cookie", cookie);
                using var response = await client.SendAsync(request);
                answers.Add((instance, page, response.StatusCode));
            }
        }

        output.WriteLine(string.Join(", ", answers.Select(a => $"{a.Instance} {a.Page} → {(int)a.Status}")));
        try
        {
            answers.Should().OnlyContain(a => a.Status == HttpStatusCode.OK, "an entry this instance cannot decrypt is a miss, never a 500");
        }
        finally
        {
            // Leave the pair as the next test on it expects: one key ring for both (B still holds the
            // one Redis lost) and nothing cached (bob's IdentityId, the flights' results).
            await App.A.StopAsync();
            await App.B.StopAsync();
            await FlushRedisAsync();
            await App.EnsureAllRunningAsync();
        }
    }

    private async Task FlushRedisAsync()
    {
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{App.Redis.Configuration},allowAdmin=true");
        await redis.GetServer(App.Redis.Endpoint).FlushAllDatabasesAsync();
    }
}
