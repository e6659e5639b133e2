using System.Diagnostics;
using System.Net;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit.Abstractions;

namespace CleanCognito.Web.FunctionalTests.Files;

/// <summary>
/// Requests per second of GET /Files with the credential cache, side by side with the origin's
/// pattern (GetId + GetCredentialsForIdentity and a new S3 client on every request), in one run
/// against the same stand-ins. The numbers go to docs/BENCHMARKS.md; the assertion only pins the
/// direction, so a busy machine cannot make it flaky.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class FilesThroughputTests(LocalAwsStack stack, ITestOutputHelper output)
{
    private const int Concurrency = 8;

    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("FILES_BENCH_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 3);

    [Fact]
    public async Task The_credential_cache_serves_files_faster_than_exchanging_on_every_request()
    {
        var cached = await MeasureAsync(exchangeEveryRequest: false);
        var origin = await MeasureAsync(exchangeEveryRequest: true);

        output.WriteLine($"GET /Files, {Concurrency} concurrent clients, {Duration.TotalSeconds:0} s each, in-process TestServer:");
        output.WriteLine($"| credential cache (this app) | {cached.Rps:0.0} req/s | {cached.Requests} requests | p50 {cached.P50:0.0} ms | p95 {cached.P95:0.0} ms |");
        output.WriteLine($"| exchange on every request (origin) | {origin.Rps:0.0} req/s | {origin.Requests} requests | p50 {origin.P50:0.0} ms | p95 {origin.P95:0.0} ms |");
        cached.Rps.Should().BeGreaterThan(origin.Rps);
    }

    private async Task<Result> MeasureAsync(bool exchangeEveryRequest)
    {
        await using var factory = await FilesAppFactory.ForAsync(stack, stack.Alice);
        if (exchangeEveryRequest)
        {
            factory.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<ICredentialCache, ExchangeOnEveryRequest>()));
        }

        using (var warmUp = factory.CreateHttpsClient())
        using (var first = await warmUp.GetAsync(new Uri("/Files", UriKind.Relative)))
        {
            first.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            using var client = factory.CreateHttpsClient();
            var mine = new List<double>();
            while (stopwatch.Elapsed < Duration)
            {
                var started = stopwatch.Elapsed.TotalMilliseconds;
                using var response = await client.GetAsync(new Uri("/Files", UriKind.Relative));
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                mine.Add(stopwatch.Elapsed.TotalMilliseconds - started);
            }

            return mine;
        })).ToList();

        var latencies = new List<double>();
        foreach (var worker in workers)
        {
            latencies.AddRange(await worker);
        }

        var elapsed = stopwatch.Elapsed.TotalSeconds;
        latencies.Sort();
        return new Result(latencies.Count, latencies.Count / elapsed, latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.95)]);
    }

    private sealed record Result(int Requests, double Rps, double P50, double P95);

    /// <summary>
    /// The origin's get_idp_credentials on every request: GetId + GetCredentialsForIdentity each time.
    /// (The S3 client is still reused in both modes, so the difference measured is the exchange.)
    /// </summary>
    private sealed class ExchangeOnEveryRequest(ICredentialExchange exchange) : ICredentialCache
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, UserTokens> _lastTokens = new();

        public event Action<string>? IdentityEvicted;

        public async ValueTask<IdentityCredentials> GetAsync(UserTokens tokens, CancellationToken cancellationToken)
        {
            var identityId = await exchange.GetIdentityIdAsync(tokens, cancellationToken);
            _lastTokens[identityId] = tokens;
            return await exchange.GetCredentialsAsync(identityId, tokens, cancellationToken);
        }

        public async ValueTask<IdentityCredentials> GetForIdentityAsync(string identityId, CancellationToken cancellationToken) =>
            await exchange.GetCredentialsAsync(identityId, _lastTokens[identityId], cancellationToken);

        public void Evict(string userId) => IdentityEvicted?.Invoke(userId);
    }
}
