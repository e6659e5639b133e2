using Amazon.Runtime;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Infrastructure.Aws;

/// <summary>
/// The AWS SDK's view of one identity's credentials: the newest set any request of that identity
/// fetched (through <see cref="ICurrentIdentity"/>, from its own tokens) before calling its AWS service. It
/// never fetches anything itself, so it needs no earlier caller and no stored tokens; and it only
/// moves forward (a later expiry wins), so whatever it signs with lives at least as long as the
/// set the caller fetched — which is what bounds a presigned URL.
/// </summary>
internal sealed class IdentityPoolAwsCredentials(string identityId) : AWSCredentials
{
    private Snapshot? _current;

    /// <summary>Signs with <paramref name="credentials"/> from now on, unless a set that expires later is already in use.</summary>
    public void Offer(IdentityCredentials credentials)
    {
        if (credentials.IdentityId != identityId)
        {
            throw new ArgumentException("Credentials of another identity.", nameof(credentials));
        }

        var offered = new Snapshot(
            new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretKey, credentials.SessionToken),
            credentials.Expiration);
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (current is not null && current.Expiration >= offered.Expiration)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _current, offered, current) == current)
            {
                return;
            }
        }
    }

    public override ImmutableCredentials GetCredentials() =>
        Volatile.Read(ref _current)?.Credentials
        ?? throw new InvalidOperationException("No credentials were offered for this identity yet.");

    private sealed record Snapshot(ImmutableCredentials Credentials, DateTimeOffset Expiration);
}
