using CleanCognito.Infrastructure.Configuration;
using CleanCognito.Infrastructure.SharedStore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.DataProtection;

/// <summary>
/// The KMS settings of the <c>DataProtection</c> section: the key that encrypts the Data Protection key
/// ring at rest. Unset (the single-instance default) leaves the ring as the framework writes it, which
/// is right for a folder only this machine reads; a ring in a shared store must not sit there in clear
/// next to the cookies and credentials it protects.
/// </summary>
public sealed class KeyRingEncryptionOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>A KMS key id, key ARN, alias name (<c>alias/…</c>) or alias ARN: a symmetric encryption key.</summary>
    public string? KmsKeyId { get; set; }

    /// <summary>Another KMS endpoint (local only: moto's KMS). Unset: the Region's public endpoint.</summary>
    public string? KmsServiceUrl { get; set; }

    /// <summary>The key's Region. Unset: <c>Cognito:Region</c>.</summary>
    public string? Region { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(KmsKeyId);

    /// <summary>
    /// Whether <c>DataProtection:KmsKeyId</c> is set, read from the raw configuration: for the
    /// framework's options, which are built before start-up validation runs.
    /// </summary>
    public static bool IsSet(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[$"{SectionName}:{nameof(KmsKeyId)}"]);
    }
}

internal sealed class KeyRingEncryptionOptionsValidator(IHostEnvironment environment, SharedStoreMode store) : IValidateOptions<KeyRingEncryptionOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyRingEncryptionOptions options)
    {
        var errors = new SettingErrors(KeyRingEncryptionOptions.SectionName);
        if (!options.IsConfigured && store.IsShared && environment.IsProduction())
        {
            // In production a shared store means other hands can read it: the keys must not be there in clear.
            errors.Add(nameof(options.KmsKeyId),
                "is missing: with Redis:Configuration set in Production the Data Protection key ring lives in Redis and must be encrypted with a KMS key (the template's DataProtectionKey).");
        }

        errors.Url(nameof(options.KmsServiceUrl), options.KmsServiceUrl, requireHttps: !environment.IsLocal(), required: false);
        return errors.ToResult();
    }
}
