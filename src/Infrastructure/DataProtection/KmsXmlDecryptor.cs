using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace CleanCognito.Infrastructure.DataProtection;

/// <summary>
/// Opens a key that <see cref="KmsXmlEncryptor"/> wrote. The framework creates it by the type name
/// stored beside the key, through the constructor that takes the service provider, so it works
/// whether or not <c>DataProtection:KmsKeyId</c> is still set (the key id is in the element).
/// </summary>
public sealed class KmsXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    internal const string ElementName = "kmsEncryptedKey";
    internal const string KeyIdName = "kmsKeyId";
    internal const string CiphertextName = "ciphertext";

    private readonly KeyRingKms _kms = services.GetRequiredService<KeyRingKms>();

    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var keyId = (string?)encryptedElement.Element(KeyIdName);
        var ciphertext = (string?)encryptedElement.Element(CiphertextName);
        if (encryptedElement.Name != ElementName || string.IsNullOrWhiteSpace(keyId) || string.IsNullOrWhiteSpace(ciphertext))
        {
            throw new FormatException($"A KMS-encrypted Data Protection key must be a <{ElementName}> with <{KeyIdName}> and <{CiphertextName}>.");
        }

        var plaintext = _kms.Decrypt(keyId, Convert.FromBase64String(ciphertext));
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
