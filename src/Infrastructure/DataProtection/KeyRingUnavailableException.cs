namespace CleanCognito.Infrastructure.DataProtection;

/// <summary>
/// KMS did not encrypt or decrypt a key of the Data Protection key ring (unreachable, too slow,
/// throttled, or it refused). Like Redis being down before the ring is loaded, the pages that need the
/// ring answer 503 until KMS answers again. The message names the operation and KMS's error code, never
/// key material.
/// </summary>
public sealed class KeyRingUnavailableException : Exception
{
    public KeyRingUnavailableException() : base("KMS did not answer for the Data Protection key ring.") { }

    public KeyRingUnavailableException(string message) : base(message) { }

    public KeyRingUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
