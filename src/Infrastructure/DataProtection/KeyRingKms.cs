using System.Globalization;
using Amazon;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using CleanCognito.Infrastructure.Cognito;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.DataProtection;

/// <summary>
/// The two KMS calls the key ring needs, <c>kms:Encrypt</c> (a new key) and <c>kms:Decrypt</c> (reading
/// the ring), and nothing else: the task role is granted exactly these. A Data Protection master key
/// is a few hundred bytes of XML, under KMS's 4 KB limit for Encrypt, so no data key (GenerateDataKey)
/// is needed. Each call is bounded by <see cref="TotalTimeout"/>; every failure becomes a
/// <see cref="KeyRingUnavailableException"/> (503), never a hang. After a failure KMS is left alone for
/// <see cref="RetryAfter"/>: while it is down the framework asks again on every request that needs the
/// ring, and each of those should get its 503 at once, not after another full timeout.
/// </summary>
public sealed class KeyRingKms(IOptions<KeyRingEncryptionOptions> options, IServiceProvider services, TimeProvider time)
{
    /// <summary>The keyed service name of the KMS client (tests replace it).</summary>
    public const string ClientKey = "CleanCognito.DataProtection.Kms";

    /// <summary>One HTTP attempt: KMS answers in milliseconds; the SDK retries twice within the total.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(4);

    /// <summary>The whole call, retries included. The framework waits for it under its key ring lock.</summary>
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Bound to every ciphertext: KMS decrypts only with the same pairs, so a ciphertext copied from
    /// this key ring cannot be decrypted by a caller that names another purpose, even with the key.
    /// </summary>
    public static IReadOnlyDictionary<string, string> EncryptionContext { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["application"] = "CleanCognito",
        ["purpose"] = "Microsoft.AspNetCore.DataProtection key ring",
    };

    /// <summary>How long after a failed call the next one fails at once.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private IAmazonKeyManagementService? _client;
    private long _retryAtTicks = long.MinValue;
    private string _lastFailure = string.Empty;

    // Resolved (and the options read) on the first call, not when the framework's options are built:
    // a missing setting must reach start-up validation's one-line message, not a stack trace.
    private IAmazonKeyManagementService Client => _client ??= services.GetRequiredKeyedService<IAmazonKeyManagementService>(ClientKey);

    /// <summary>Encrypts with the configured key; returns the key's ARN (as KMS names it) and the ciphertext.</summary>
    public (string KeyId, byte[] Ciphertext) Encrypt(byte[] plaintext)
    {
        var keyId = options.Value.KmsKeyId ?? throw new InvalidOperationException("DataProtection:KmsKeyId is not set.");
        using var input = new MemoryStream(plaintext, writable: false);
        var response = Call("Encrypt", keyId, token => Client.EncryptAsync(
            new EncryptRequest { KeyId = keyId, Plaintext = input, EncryptionContext = new Dictionary<string, string>(EncryptionContext) },
            token));
        return (response.KeyId ?? keyId, response.CiphertextBlob.ToArray());
    }

    /// <summary>Decrypts with the key that encrypted it (named, so KMS refuses a ciphertext of any other key).</summary>
    public byte[] Decrypt(string keyId, byte[] ciphertext)
    {
        using var input = new MemoryStream(ciphertext, writable: false);
        var response = Call("Decrypt", keyId, token => Client.DecryptAsync(
            new DecryptRequest { KeyId = keyId, CiphertextBlob = input, EncryptionContext = new Dictionary<string, string>(EncryptionContext) },
            token));
        return response.Plaintext.ToArray();
    }

    /// <summary>
    /// The client the app uses: the SDK's default credential chain (on ECS, the task role) unless
    /// <paramref name="credentials"/> are given (tests).
    /// </summary>
    public static IAmazonKeyManagementService CreateClient(KeyRingEncryptionOptions options, CognitoOptions cognito, AWSCredentials? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cognito);
        var region = string.IsNullOrWhiteSpace(options.Region) ? cognito.Region : options.Region;
        var config = new AmazonKeyManagementServiceConfig { Timeout = AttemptTimeout, MaxErrorRetry = 2 };
        if (string.IsNullOrWhiteSpace(options.KmsServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            config.ServiceURL = options.KmsServiceUrl;
            config.AuthenticationRegion = region;
        }

        return credentials is null ? new AmazonKeyManagementServiceClient(config) : new AmazonKeyManagementServiceClient(credentials, config);
    }

    // The Data Protection interfaces are synchronous; ASP.NET Core has no synchronization context, so
    // blocking on the call cannot deadlock, and the token bounds it.
    private T Call<T>(string operation, string keyId, Func<CancellationToken, Task<T>> call)
    {
        if (time.GetUtcNow().UtcTicks < Volatile.Read(ref _retryAtTicks))
        {
            throw new KeyRingUnavailableException($"KMS {operation} for the Data Protection key ring not attempted: KMS failed less than {RetryAfter.TotalSeconds} s ago ({Volatile.Read(ref _lastFailure)}).");
        }

        try
        {
            return CallOnce(operation, keyId, call);
        }
        catch (KeyRingUnavailableException ex)
        {
            Volatile.Write(ref _lastFailure, ex.Message);
            Volatile.Write(ref _retryAtTicks, (time.GetUtcNow() + RetryAfter).UtcTicks);
            throw;
        }
    }

    private static T CallOnce<T>(string operation, string keyId, Func<CancellationToken, Task<T>> call)
    {
        using var timeout = new CancellationTokenSource(TotalTimeout);
        try
        {
            return call(timeout.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException ex)
        {
            throw Unavailable(operation, keyId, string.Create(CultureInfo.InvariantCulture, $"no answer within {TotalTimeout.TotalSeconds} s"), ex);
        }
        catch (AmazonServiceException ex)
        {
            // KMS's own words (AccessDenied names the role and the key), never key material.
            throw Unavailable(operation, keyId, string.Create(CultureInfo.InvariantCulture, $"{ex.ErrorCode ?? ex.GetType().Name} (HTTP {(int)ex.StatusCode}): {ex.Message}"), ex);
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException or IOException)
        {
            throw Unavailable(operation, keyId, $"{ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    private static KeyRingUnavailableException Unavailable(string operation, string keyId, string reason, Exception inner) =>
        new($"KMS {operation} with key {keyId} for the Data Protection key ring failed: {reason}", inner);
}
