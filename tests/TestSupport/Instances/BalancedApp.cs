using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanCognito.TestSupport.Web;
using Xunit;

namespace CleanCognito.TestSupport.Instances;

/// <summary>
/// What <c>./run.sh --instances 2</c> starts, on free ports, in one place: the local AWS stand-ins, a
/// real <c>redis-server</c> that requires AUTH, two app instances as separate processes (each with
/// <c>Redis__Configuration</c> and <c>Redis__Password</c>: real instances sharing nothing but Redis,
/// their key ring encrypted with the stand-ins' KMS key) and Debian's nginx as the
/// round-robin balancer with the repository's own config. Tests may stop an instance or Redis;
/// <see cref="EnsureAllRunningAsync"/> brings everything back for the next test.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync.")]
public sealed class BalancedApp : IAsyncLifetime
{
    private static readonly TimeSpan ReachTimeout = TimeSpan.FromSeconds(30);
    private NginxBalancer? _balancer;

    public LocalAwsStack Stack { get; } = new();

    /// <summary>Keeps its data through a stop and start, as a managed Redis does through a restart.</summary>
    public RedisServer Redis { get; } = RedisServer.KeepingDataAcrossRestarts();

    public AppInstanceProcess A { get; private set; } = null!;

    public AppInstanceProcess B { get; private set; } = null!;

    public IReadOnlyList<AppInstanceProcess> Instances => [A, B];

    public NginxBalancer Balancer => _balancer ?? throw new InvalidOperationException("The balancer has not started.");

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Stack.InitializeAsync(), Redis.InitializeAsync());
        var ports = FreePort.Pick(2);
        A = new AppInstanceProcess("A", ports[0], InstanceEnvironment("A"));
        B = new AppInstanceProcess("B", ports[1], InstanceEnvironment("B"));
        // One after the other: the first creates the Data Protection key in Redis, the second finds it.
        await A.StartAsync();
        await B.StartAsync();
        _balancer = await NginxBalancer.StartAsync([A.Port, B.Port]);
        await WaitUntilBalancerReachesAllAsync();
    }

    /// <summary>Restarts whatever a test stopped (on the same ports) and waits until the balancer reaches both instances again.</summary>
    public async Task EnsureAllRunningAsync()
    {
        if (!Redis.IsRunning)
        {
            await Redis.StartAsync();
        }

        foreach (var instance in Instances.Where(i => !i.IsRunning))
        {
            await instance.StartAsync();
        }

        await WaitUntilBalancerReachesAllAsync();
    }

    /// <summary>A browser on the balancer's URL: its own cookie jar, no redirects followed.</summary>
    public BalancedBrowser NewBrowser() => new(Balancer.BaseAddress);

    /// <summary>Which instance answered, from the balancer's <c>X-Upstream</c> header (the last one tried).</summary>
    public string InstanceOf(HttpResponseMessage response)
    {
        var upstream = response.Headers.TryGetValues("X-Upstream", out var values) ? values.Single() : throw new InvalidOperationException("The answer has no X-Upstream header: it did not come through the balancer.");
        var last = upstream.Split(',').Last().Trim();
        return Instances.SingleOrDefault(i => i.UpstreamAddress == last)?.Name
            ?? throw new InvalidOperationException($"X-Upstream \"{upstream}\" names no instance of this set-up.");
    }

    /// <summary>A request counter of the user pool (e.g. <c>token:refresh_token</c>).</summary>
    public Task<int> PoolCountAsync(string counter) => CountAsync(Stack.Idp, counter);

    /// <summary>A request counter of the identity pool (<c>GetId</c>, <c>GetCredentialsForIdentity</c>).</summary>
    public Task<int> IdentityCountAsync(string counter) => CountAsync(Stack.Identity, counter);

    /// <summary>Tokens straight from the user pool's token endpoint, without the app (negative lifetime = already expired).</summary>
    public async Task<TokenSet> MintTokensAsync(LocalUser user, int expiresInSeconds)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.PostAsJsonAsync(new Uri($"{Stack.Idp}/_local/tokens"), new Dictionary<string, object> { ["username"] = user.Username, ["expires_in"] = expiresInSeconds });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        return new TokenSet(root.GetProperty("access_token").GetString()!, root.GetProperty("id_token").GetString()!, null, expiresInSeconds);
    }

    public async Task DisposeAsync()
    {
        if (_balancer is not null)
        {
            await _balancer.DisposeAsync();
        }

        foreach (var instance in new[] { A, B }.Where(i => i is not null))
        {
            await instance.DisposeAsync();
        }

        await Redis.DisposeAsync();
        await Stack.DisposeAsync();
    }

    /// <summary>
    /// The instances connected to Redis right now (each names its connection, see
    /// <see cref="InstanceEnvironment"/>): after a Redis restart, the sign that they reconnected.
    /// </summary>
    public async Task<IReadOnlyList<string>> InstancesConnectedToRedisAsync()
    {
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{Redis.Configuration},abortConnect=false,allowAdmin=true,connectTimeout=2000");
        var clients = await redis.GetServer(Redis.Endpoint).ClientListAsync();
        return Instances.Where(i => clients.Any(c => c.Name == RedisClientName(i.Name))).Select(i => i.Name).ToList();
    }

    private static string RedisClientName(string instance) => $"cleancognito-{instance}";

    /// <summary>
    /// The environment of an instance named <paramref name="name"/>: the stand-ins' settings, Redis
    /// (<paramref name="redis"/>, or this set-up's) with its password apart, as ECS hands it from
    /// Secrets Manager, and the key ring encrypted with the stand-ins' KMS key unless
    /// <paramref name="encryptKeyRing"/> is false (what a test that must see the ring in clear starts).
    /// </summary>
    public Dictionary<string, string> InstanceEnvironment(string name, RedisServer? redis = null, bool encryptKeyRing = true)
    {
        redis ??= Redis;
        var settings = Stack.AppSettings();
        if (encryptKeyRing)
        {
            foreach (var (key, value) in Stack.KmsSettings())
            {
                settings[key] = value;
            }
        }

        var environment = settings
            .Where(s => s.Value is not null)
            .ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        // Local: the stand-ins speak http. Warnings and errors only: the processes' output is not read.
        environment["ASPNETCORE_ENVIRONMENT"] = "Local";
        // name= labels the instance's connections in Redis's CLIENT LIST.
        environment["Redis__Configuration"] = $"{redis.Endpoint},name={RedisClientName(name)}";
        environment["Redis__Password"] = redis.Password;
        // The KMS client's credentials come from the SDK's default chain (the task role on ECS): here
        // the local test key moto accepts.
        environment["AWS_ACCESS_KEY_ID"] = LocalAwsStack.KmsTestKey.AccessKeyId;
        environment["AWS_SECRET_ACCESS_KEY"] = LocalAwsStack.KmsTestKey.SecretAccessKey;
        environment["Logging__LogLevel__Default"] = "Warning";
        return environment;
    }

    /// <summary>
    /// nginx skips an instance for 2 s after a failed attempt: poll through the balancer until each
    /// instance has answered at least once (bounded), so a test starts with both in rotation.
    /// </summary>
    private async Task WaitUntilBalancerReachesAllAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await Eventually.TrueAsync(
            "the balancer reaches every instance",
            async () =>
            {
                using var response = await http.GetAsync(new Uri(Balancer.BaseAddress, "/health/live"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    seen.Add(InstanceOf(response));
                }

                return seen.Count == Instances.Count;
            },
            ReachTimeout,
            every: TimeSpan.FromMilliseconds(100),
            lastSeen: () => $"reached [{string.Join(", ", seen)}]\n{Balancer.ErrorLog}");
    }

    private static async Task<int> CountAsync(string baseUrl, string counter)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var stats = await http.GetFromJsonAsync<Dictionary<string, JsonElement>>(new Uri($"{baseUrl}/_local/stats"));
        return stats!.TryGetValue(counter, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : 0;
    }
}

/// <summary>One browser on the balancer: an <see cref="HttpClient"/> with its own <see cref="LoopbackCookieJar"/>.</summary>
public sealed class BalancedBrowser : IDisposable
{
    public BalancedBrowser(Uri baseAddress)
    {
        Cookies = new LoopbackCookieJar();
        Http = new HttpClient(Cookies) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public LoopbackCookieJar Cookies { get; }

    public HttpClient Http { get; }

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>Signs <paramref name="user"/> in through the balancer and the hosted UI form, as a browser does.</summary>
    public Task<AppSignInResult> SignInAsync(LocalUser user, string returnUrl = "/") =>
        AppSignIn.SignInAsync(Http, user.Username, user.Password, returnUrl);

    public void Dispose() => Http.Dispose();
}
