using System.Diagnostics;
using System.Globalization;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Xunit;

namespace CleanCognito.TestSupport;

/// <summary>
/// moto_server alone, for tests that need only KMS (the Data Protection key ring's key) and not the
/// whole stand-in stack: one symmetric key made at start. Fails with an actionable message when
/// moto_server is missing.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync.")]
public sealed class MotoKms : IAsyncLifetime
{
    public const string Region = "eu-west-1";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private Process? _process;

    public int Port { get; } = FreePort.Pick();

    public string ServiceUrl => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}");

    /// <summary>The key's ARN: what <c>DataProtection:KmsKeyId</c> names.</summary>
    public string KeyArn { get; private set; } = string.Empty;

    /// <summary>A client on this moto with the local test key (moto checks no signature).</summary>
    public AmazonKeyManagementServiceClient Client() =>
        new(new BasicAWSCredentials(LocalAwsStack.KmsTestKey.AccessKeyId, LocalAwsStack.KmsTestKey.SecretAccessKey),
            new AmazonKeyManagementServiceConfig { ServiceURL = ServiceUrl, AuthenticationRegion = Region, Timeout = TimeSpan.FromSeconds(5) });

    public async Task InitializeAsync()
    {
        var name = Environment.GetEnvironmentVariable("LOCAL_AWS_MOTO_SERVER") is { Length: > 0 } configured ? configured : "moto_server";
        var program = ExecutableLookup.Find(name)
            ?? throw new InvalidOperationException($"`{name}` is not installed: pip install \"moto[server]\" (or set LOCAL_AWS_MOTO_SERVER).");
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-H", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"{ServiceUrl}/moto-api/data.json"));
                if (response.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"moto_server did not answer on port {Port} within {StartTimeout.TotalSeconds} s.");
            }

            await Task.Delay(100);
        }

        using var kms = Client();
        var key = await kms.CreateKeyAsync(new CreateKeyRequest { Description = "CleanCognito tests: the key ring's key", KeyUsage = KeyUsageType.ENCRYPT_DECRYPT });
        KeyArn = key.KeyMetadata.Arn;
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }
}
