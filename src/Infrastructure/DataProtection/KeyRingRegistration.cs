using Amazon.KeyManagementService;
using CleanCognito.Infrastructure.Cognito;
using CleanCognito.Infrastructure.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.DataProtection;

/// <summary>KMS for the Data Protection key ring.</summary>
internal static class KeyRingRegistration
{
    /// <summary>
    /// KMS for the Data Protection key ring (<c>DataProtection:KmsKeyId</c>); Web hands the encryptor to
    /// the framework. Nothing calls KMS unless a key is written or a KMS-encrypted key is read.
    /// </summary>
    public static IServiceCollection AddKeyRingEncryption(this IServiceCollection services)
    {
        services.AddValidatedOptions<KeyRingEncryptionOptions, KeyRingEncryptionOptionsValidator>(KeyRingEncryptionOptions.SectionName);
        services.AddKeyedSingleton<IAmazonKeyManagementService>(KeyRingKms.ClientKey, (sp, _) => KeyRingKms.CreateClient(
            sp.GetRequiredService<IOptions<KeyRingEncryptionOptions>>().Value,
            sp.GetRequiredService<IOptions<CognitoOptions>>().Value));
        services.AddSingleton<KeyRingKms>();
        return services;
    }
}
