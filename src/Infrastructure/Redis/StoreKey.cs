using System.Security.Cryptography;
using System.Text;

namespace CleanCognito.Infrastructure.Redis;

/// <summary>How an id becomes part of a key in the shared store: hashed, so no user id or token is ever stored or logged in clear.</summary>
public static class StoreKey
{
    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
