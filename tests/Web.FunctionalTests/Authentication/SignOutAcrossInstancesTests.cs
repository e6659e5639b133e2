using System.Net;
using System.Text;
using System.Text.Json;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary>
/// Two instances sharing a real redis-server (as behind a load balancer): a sign-out on one is
/// refused on the other at once, a restarted instance knows it too, and Redis holds ids, never a token.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class SignOutAcrossInstancesTests(LocalAwsStack stack, RedisServer redis) : IClassFixture<RedisServer>
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
    public async Task Redis_holds_the_session_ids_and_never_a_token()
    {
        using var a = Instance();
        using var browser = a.CreateHttpsClient();
        var signIn = await AppSignIn.SignInAsync(browser, stack.Alice.Username, stack.Alice.Password, "/");
        var refreshToken = a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("CleanCognito.RefreshToken").Unprotect(signIn.Cookie("cognito_refresh_token"));
        using (var logout = await LocalSignIn.PostLogoutAsync(browser))
        {
            logout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        var dump = await DumpRedisAsync();

        var access = Payload(signIn.Cookie("cognito_access_token"));
        var id = Payload(signIn.Cookie("cognito_id_token"));
        dump.Should().ContainKey("CleanCognito:SignedOut");
        dump["CleanCognito:SignedOut"].Should().Contain([access.GetProperty("origin_jti").GetString()!, access.GetProperty("jti").GetString()!, id.GetProperty("jti").GetString()!]);
        var everything = string.Join('\n', dump.Select(kv => kv.Key + "\n" + string.Join('\n', kv.Value)));
        foreach (var secret in new[] { signIn.Cookie("cognito_access_token"), signIn.Cookie("cognito_id_token"), refreshToken, signIn.Cookie("cognito_refresh_token") })
        {
            // A JWT's signature is its most specific part: no key or value may contain it, or the whole token.
            var probe = secret.Contains('.', StringComparison.Ordinal) ? secret[(secret.LastIndexOf('.') + 1)..] : secret;
            everything.Should().NotContain(probe);
        }
    }

    private CleanCognitoAppFactory Instance() =>
        LocalSignIn.App(stack, settings: new Dictionary<string, string?> { ["Redis:Configuration"] = redis.Configuration });

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
