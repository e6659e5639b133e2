using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using CleanCognito.Infrastructure.Cognito;
using CleanCognito.Infrastructure.DataProtection;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanCognito.Deploy.Tests.Production;

/// <summary>
/// KMS not answering while an instance needs its key ring (a first start, or a new key at rotation):
/// the pages that need the ring answer the 503 page with Retry-After within the call's bound, one
/// Warning names KMS, and nothing hangs. The app's own client (timeouts, retries) is used, pointed at
/// a port that accepts connections and never answers.
/// </summary>
public sealed class KmsKeyRingOutageTests(RedisServer redis, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task A_kms_that_never_answers_gives_the_503_page_within_the_bound_instead_of_a_hang()
    {
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var port = ((IPEndPoint)blackHole.LocalEndpoint).Port;
        var settings = redis.Settings();
        settings["DataProtection:KmsKeyId"] = "arn:aws:kms:eu-west-1:000000000000:key/00000000-0000-4000-8000-000000000000";
        using var app = new ProductionAppFactory(keysPath: null, extraSettings: settings) { UseCognitoSignIn = false, User = TestUser.Alice };
        app.ConfigureTestServices(services => services.AddKeyedSingleton(KeyRingKms.ClientKey, KeyRingKms.CreateClient(
            new KeyRingEncryptionOptions { KmsServiceUrl = $"http://127.0.0.1:{port}", Region = "eu-west-1" },
            new CognitoOptions { Region = "eu-west-1" },
            new BasicAWSCredentials(LocalAwsStack.KmsTestKey.AccessKeyId, LocalAwsStack.KmsTestKey.SecretAccessKey))));
        var client = app.CreateHttpsClient();

        var clock = Stopwatch.StartNew();
        // The profile page renders the layout's sign-out form: its antiforgery token needs the key ring.
        using var response = await client.GetAsync(new Uri("/Account/Profile", UriKind.Relative));
        clock.Stop();
        output.WriteLine($"503 after {clock.Elapsed.TotalSeconds:0.0} s");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await response.Content.ReadAsStringAsync());
        response.Headers.RetryAfter.Should().NotBeNull();
        clock.Elapsed.Should().BeLessThan(KeyRingKms.TotalTimeout + TimeSpan.FromSeconds(5), "every KMS call is bounded");
        app.Logs.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("Upstream KMS", StringComparison.Ordinal));

        // While KMS stays down, the next request does not wait out another timeout.
        clock.Restart();
        using (var again = await client.GetAsync(new Uri("/Account/Profile", UriKind.Relative)))
        {
            clock.Stop();
            output.WriteLine($"the next 503 after {clock.Elapsed.TotalSeconds:0.0} s");
            again.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        }
        app.Logs.Entries.Should().NotContain(e => e.Level == LogLevel.Error && e.Message.StartsWith("Unhandled exception", StringComparison.Ordinal));
    }
}
