using System.Security.Cryptography;
using System.Text;
using CleanCognito.Application.Common.Security;

namespace CleanCognito.Application.UnitTests.Security;

public class SecretKeyTests
{
    [Fact]
    public void A_key_is_the_HMAC_SHA_256_of_the_secret_keyed_by_its_purpose_in_lowercase_hex()
    {
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("purpose"), Encoding.UTF8.GetBytes("the-secret")));

        SecretKey.Of("purpose", "the-secret").Should().Be(expected).And.MatchRegex("^[0-9a-f]{64}$");
    }

    [Fact]
    public void One_secret_gives_different_keys_for_different_purposes()
    {
        SecretKey.Of("refresh-token", "same").Should().NotBe(SecretKey.Of("shared-flight", "same"));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(1024)]
    [InlineData(5000)]
    public void The_byte_form_is_the_text_forms_bytes_for_short_and_long_secrets(int length)
    {
        var secret = new string('é', length);
        Span<byte> digest = stackalloc byte[SecretKey.Size];

        SecretKey.Hash("validated-token", secret, digest);

        Convert.ToHexStringLower(digest).Should().Be(SecretKey.Of("validated-token", secret));
    }
}
