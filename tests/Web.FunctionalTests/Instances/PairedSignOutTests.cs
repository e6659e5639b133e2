using System.Net;
using System.Text;
using System.Text.Json;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure.SharedStore;
using CleanCognito.Infrastructure.SharedStore.SignedOutSessions;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using CleanCognito.Web.FunctionalTests.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace CleanCognito.Web.FunctionalTests.Instances;

/// <summary>
/// Two instances sharing a real redis-server (as behind a load balancer): a sign-out on one is
/// refused on the other at once, a restarted instance knows it too, and Redis holds ids, never a token.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class PairedSignOutTests(LocalAwsStack stack, RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Sign_out_on_one_instance_refuses_the_old_cookies_on_the_other_at_once()
    {
        using var a = Instance();
        using var b = Instance();
        using var browser = a.CreateHttpsClient();
        var signIn = await AppSignIn.SignInAsync(browser, stack.Alice.Username, stack.Alice.Password, "/");
        var copied = LocalSignIn.CookieHeader(signIn);
        using (var before = await LocalSignIn.ReplayAsync(b, copied))
        {
            before.StatusCode.Should().Be(HttpStatusCode.OK, "the other instance accepts the session before the sign-out");
        }

        using (var logout = await LocalSignIn.PostLogoutAsync(browser))
        {
            logout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        var refreshes = await LocalSignIn.StatAsync(stack, "token:refresh_token");
        using var replay = await LocalSignIn.ReplayAsync(b, copied);

        replay.StatusCode.Should().Be(HttpStatusCode.Redirect, "the sign-out on A reached B before A answered");
        replay.Headers.Location!.OriginalString.Should().Be("/Account/Login?returnUrl=%2FAccount%2FProfile");
        replay.Headers.GetValues("Set-Cookie").Should().Contain(c => c.StartsWith("cognito_access_token=;", StringComparison.Ordinal));
        using var refreshOnly = await LocalSignIn.ReplayAsync(b, $"cognito_refresh_token={signIn.Cookie("cognito_refresh_token")}");
        refreshOnly.StatusCode.Should().Be(HttpStatusCode.Redirect, "the refresh cookie alone renews nothing on B either");
        (await LocalSignIn.StatAsync(stack, "token:refresh_token")).Should().Be(refreshes, "B refused both without asking the pool");
    }

    [Fact]
    public async Task An_instance_started_after_the_sign_out_loads_it_before_serving()
    {
        using var a = Instance();
        using var browser = a.CreateHttpsClient();
        var signIn = await AppSignIn.SignInAsync(browser, stack.Alice.Username, stack.Alice.Password, "/");
        using (var logout = await LocalSignIn.PostLogoutAsync(browser))
        {
            logout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        using var late = Instance();
        using var replay = await LocalSignIn.ReplayAsync(late, LocalSignIn.CookieHeader(signIn));

        replay.StatusCode.Should().Be(HttpStatusCode.Redirect, "the new instance read the denylist from Redis at start");
    }

    [Fact]
    public async Task Redis_holds_the_session_ids_and_the_encrypted_refresh_result_never_a_token()
    {
        using var a = Instance(LocalAwsStack.ShortLivedClientId);
        using var browser = a.CreateHttpsClient();
        var signIn = await AppSignIn.SignInAsync(browser, stack.Alice.Username, stack.Alice.Password, "/");
        var refreshToken = a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("CleanCognito.RefreshToken").Unprotect(signIn.Cookie("cognito_refresh_token"));
        await Expiry.WaitPastAsync(signIn.Cookie("cognito_access_token"));
        AppSignInResult renewed;
        using (var refreshed = await browser.GetAsync(new Uri("/Account/Profile", UriKind.Relative)))
        {
            refreshed.StatusCode.Should().Be(HttpStatusCode.OK);
            renewed = new AppSignInResult(refreshed.Headers.GetValues("Set-Cookie").ToList(), string.Empty);
        }

        using (var logout = await LocalSignIn.PostLogoutAsync(browser))
        {
            logout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        var dump = await DumpRedisAsync();

        dump.Keys.Should().Contain(k => k.StartsWith("flight:", StringComparison.Ordinal) && k.EndsWith(":result", StringComparison.Ordinal), "the refresh result is shared through Redis");
        var access = Payload(renewed.Cookie("cognito_access_token"));
        var id = Payload(renewed.Cookie("cognito_id_token"));
        dump.Should().ContainKey("CleanCognito:SignedOut");
        dump["CleanCognito:SignedOut"].Should().Contain([access.GetProperty("origin_jti").GetString()!, access.GetProperty("jti").GetString()!, id.GetProperty("jti").GetString()!]);
        var everything = string.Join('\n', dump.Select(kv => kv.Key + "\n" + string.Join('\n', kv.Value)));
        string[] secrets =
        [
            signIn.Cookie("cognito_access_token"), signIn.Cookie("cognito_id_token"), refreshToken, signIn.Cookie("cognito_refresh_token"),
            renewed.Cookie("cognito_access_token"), renewed.Cookie("cognito_id_token"),
        ];
        foreach (var secret in secrets)
        {
            // A JWT's signature is its most specific part: no key or value may contain it, let alone the whole token.
            var probe = secret.Contains('.', StringComparison.Ordinal) ? secret[(secret.LastIndexOf('.') + 1)..] : secret;
            everything.Should().NotContain(probe);
        }
    }

    [Fact]
    public async Task Twenty_concurrent_requests_with_an_expired_session_over_both_instances_cause_exactly_one_refresh()
    {
        using var a = Instance(LocalAwsStack.ShortLivedClientId);
        using var b = Instance(LocalAwsStack.ShortLivedClientId);
        using var browser = a.CreateHttpsClient();
        var signIn = await AppSignIn.SignInAsync(browser, stack.Alice.Username, stack.Alice.Password, "/");
        await Expiry.WaitPastAsync(signIn.Cookie("cognito_access_token"));
        var refreshes = await LocalSignIn.StatAsync(stack, "token:refresh_token");
        var cookie = LocalSignIn.CookieHeader(signIn);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await LocalSignIn.ReplayAsync(i % 2 == 0 ? a : b, cookie);
            var setCookies = response.Headers.TryGetValues("Set-Cookie", out var set) ? set.ToList() : [];
            return (response.StatusCode, Access: setCookies.FirstOrDefault(c => c.StartsWith("cognito_access_token=ey", StringComparison.Ordinal)));
        }));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        responses.Should().OnlyContain(r => r.Access != null, "every request carried the expired cookies, so each gets renewed ones");
        responses.Select(r => r.Access).Distinct().Should().ContainSingle("both instances hand out the one refresh result");
        (await LocalSignIn.StatAsync(stack, "token:refresh_token")).Should().Be(refreshes + 1, "one refresh at the pool for both instances");
        (a.Logs.Entries.Concat(b.Logs.Entries)).Count(e => e.Message.StartsWith("Session refreshed", StringComparison.Ordinal)).Should().Be(1);
    }

    [Fact]
    public async Task A_refresh_shared_just_before_the_sign_out_does_not_bring_the_session_back()
    {
        using var a = Instance(LocalAwsStack.ShortLivedClientId);
        using var b = Instance(LocalAwsStack.ShortLivedClientId);
        using var browser = a.CreateHttpsClient();
        var signIn = await AppSignIn.SignInAsync(browser, stack.Alice.Username, stack.Alice.Password, "/");
        var expired = LocalSignIn.CookieHeader(signIn);
        await Expiry.WaitPastAsync(signIn.Cookie("cognito_access_token"));

        // B refreshes the expired cookies and shares the result through Redis for 30 s; the browser,
        // still holding them, gets the same result on A (no second refresh) and signs out there.
        var before = await LocalSignIn.StatAsync(stack, "token:refresh_token");
        using (var refreshedOnB = await LocalSignIn.ReplayAsync(b, expired))
        {
            refreshedOnB.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using (var sharedOnA = await browser.GetAsync(new Uri("/Account/Profile", UriKind.Relative)))
        {
            sharedOnA.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await LocalSignIn.StatAsync(stack, "token:refresh_token")).Should().Be(before + 1, "A reused B's refresh");
        using (var logout = await LocalSignIn.PostLogoutAsync(browser))
        {
            logout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        var refreshes = await LocalSignIn.StatAsync(stack, "token:refresh_token");
        using var onB = await LocalSignIn.ReplayAsync(b, expired);
        using var onA = await LocalSignIn.ReplayAsync(a, expired);

        onB.StatusCode.Should().Be(HttpStatusCode.Redirect, "the shared refresh result would renew the old cookies, but their session is signed out");
        onA.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await LocalSignIn.StatAsync(stack, "token:refresh_token")).Should().Be(refreshes);
    }

    [Fact]
    public async Task While_redis_is_down_sign_out_still_works_and_reaches_the_other_instance_when_it_returns()
    {
        var outageRedis = new RedisServer();
        await outageRedis.InitializeAsync();
        try
        {
            using var a = Instance(store: outageRedis);
            using var b = Instance(store: outageRedis);
            using var browser = a.CreateHttpsClient();
            var signIn = await AppSignIn.SignInAsync(browser, stack.Alice.Username, stack.Alice.Password, "/");
            var copied = LocalSignIn.CookieHeader(signIn);
            // The form is rendered while Redis is up: this test is about the denylist, not about
            // rendering antiforgery tokens with the Data Protection key ring out of reach.
            var form = await LocalSignIn.LogoutFormAsync(browser);
            using (var onBBefore = await LocalSignIn.ReplayAsync(b, copied))
            {
                // Also loads B's key ring (for the page's antiforgery token) while Redis is up.
                onBBefore.StatusCode.Should().Be(HttpStatusCode.OK);
            }

            await outageRedis.StopAsync();

            using (var logout = await LocalSignIn.PostLogoutFormAsync(browser, form))
            {
                logout.StatusCode.Should().Be(HttpStatusCode.Redirect, "sign-out degrades without Redis, it never fails");
                logout.Headers.GetValues("Set-Cookie").Should().Contain(c => c.StartsWith("cognito_access_token=;", StringComparison.Ordinal));
            }

            using (var onA = await LocalSignIn.ReplayAsync(a, copied))
            {
                onA.StatusCode.Should().Be(HttpStatusCode.Redirect, "the instance that signed out refuses the session at once");
            }

            using (var onB = await LocalSignIn.ReplayAsync(b, copied))
            {
                onB.StatusCode.Should().Be(HttpStatusCode.OK, "documented: B cannot learn of the sign-out while Redis is down");
            }

            a.Logs.Entries.Should().Contain(e => e.Message.StartsWith("Redis unreachable at sign-out", StringComparison.Ordinal));
            var pending = Denylist(a);
            pending.PendingCount.Should().Be(1);

            await outageRedis.StartAsync();
            // Barriers on events, not on time: A has written what waited, then B has reloaded.
            await pending.NextSyncAsync().WaitAsync(TimeSpan.FromSeconds(30));
            pending.PendingCount.Should().Be(0);
            await Denylist(b).NextSyncAsync().WaitAsync(TimeSpan.FromSeconds(30));

            using var afterOutage = await LocalSignIn.ReplayAsync(b, copied);
            afterOutage.StatusCode.Should().Be(HttpStatusCode.Redirect, "once Redis is back, the sign-out reaches B");
            a.Logs.Entries.Concat(b.Logs.Entries).Should().NotContain(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        }
        finally
        {
            await outageRedis.DisposeAsync();
        }
    }

    private static RedisSignedOutSessions Denylist(CleanCognitoAppFactory app) =>
        (RedisSignedOutSessions)app.Services.GetRequiredService<ISignedOutSessions>();

    private CleanCognitoAppFactory Instance(string clientId = LocalAwsStack.PublicClientId, RedisServer? store = null) =>
        LocalSignIn.App(stack, clientId, new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = (store ?? redis).Configuration,
            ["Cognito:ExpirationLeewaySeconds"] = "0",
        });

    /// <summary>Every key in Redis with its values, read raw (strings, lists, sets, sorted sets, hashes).</summary>
    private async Task<Dictionary<string, List<string>>> DumpRedisAsync()
    {
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        var database = connection.GetDatabase();
        var dump = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var key in connection.GetServer(connection.GetEndPoints()[0]).KeysAsync(pattern: "*"))
        {
            var type = await database.KeyTypeAsync(key);
            IEnumerable<RedisValue> values = type switch
            {
                RedisType.String => [await database.StringGetAsync(key)],
                RedisType.List => await database.ListRangeAsync(key),
                RedisType.Set => await database.SetMembersAsync(key),
                RedisType.SortedSet => await database.SortedSetRangeByRankAsync(key),
                RedisType.Hash => (await database.HashGetAllAsync(key)).SelectMany(e => new[] { e.Name, e.Value }),
                _ => [],
            };
            dump[key.ToString()] = values.Select(v => v.ToString()).ToList();
        }

        return dump;
    }

    private static JsonElement Payload(string jwt)
    {
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part))).RootElement.Clone();
    }
}
