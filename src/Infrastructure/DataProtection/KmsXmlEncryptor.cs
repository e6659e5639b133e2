using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace CleanCognito.Infrastructure.DataProtection;

/// <summary>
/// Encrypts each new Data Protection key with KMS before the key ring stores it (in Redis or a
/// folder): what is stored is KMS ciphertext that only a caller allowed <c>kms:Decrypt</c> on the key,
/// with this app's encryption context, can open.
/// </summary>
public sealed class KmsXmlEncryptor(KeyRingKms kms) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        try
        {
            var (keyId, ciphertext) = kms.Encrypt(plaintext);
            var element = new XElement(
                KmsXmlDecryptor.ElementName,
                new XComment(" This key is encrypted with AWS KMS (DataProtection:KmsKeyId). "),
                new XElement(KmsXmlDecryptor.KeyIdName, keyId),
                new XElement(KmsXmlDecryptor.CiphertextName, Convert.ToBase64String(ciphertext)));
            return new EncryptedXmlInfo(element, typeof(KmsXmlDecryptor));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
