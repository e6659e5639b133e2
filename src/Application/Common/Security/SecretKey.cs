using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace CleanCognito.Application.Common.Security;

/// <summary>
/// The one way a secret (a token, a cookie, a user or identity id) becomes a key: HMAC-SHA-256 of the
/// secret's UTF-8 bytes, keyed by the purpose's UTF-8 bytes. No store, cache or log ever holds the
/// secret itself, and a key made for one purpose never equals a key made for another from the same
/// secret. As text: 64 lowercase hex characters.
/// </summary>
public static class SecretKey
{
    /// <summary>The size of a key in bytes (SHA-256).</summary>
    public const int Size = HMACSHA256.HashSizeInBytes;

    // Secrets up to this many UTF-8 bytes are hashed from the stack; longer ones from a pooled buffer.
    private const int StackLimit = 1024;

    /// <summary>The key of <paramref name="secret"/> for <paramref name="purpose"/>, as lowercase hex.</summary>
    public static string Of(string purpose, string secret)
    {
        Span<byte> digest = stackalloc byte[Size];
        Hash(purpose, secret, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>The same key as <see cref="Of"/>, as bytes into <paramref name="digest"/>, without allocating (hot paths).</summary>
    public static void Hash(string purpose, ReadOnlySpan<char> secret, Span<byte> digest)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        Span<byte> key = stackalloc byte[Encoding.UTF8.GetMaxByteCount(purpose.Length)];
        key = key[..Encoding.UTF8.GetBytes(purpose, key)];

        var maxBytes = Encoding.UTF8.GetMaxByteCount(secret.Length);
        var rented = maxBytes > StackLimit ? ArrayPool<byte>.Shared.Rent(maxBytes) : null;
        var buffer = rented ?? stackalloc byte[StackLimit];
        var length = Encoding.UTF8.GetBytes(secret, buffer);
        try
        {
            HMACSHA256.HashData(key, buffer[..length], digest);
        }
        finally
        {
            // The buffer held the secret: never leave it in the pool or on the stack.
            CryptographicOperations.ZeroMemory(buffer[..length]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
