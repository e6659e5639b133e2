namespace CleanCognito.Application.Common.Interfaces;

/// <summary>Temporary AWS credentials of one identity pool identity.</summary>
public sealed record IdentityCredentials(
    string IdentityId,
    string AccessKeyId,
    string SecretKey,
    string SessionToken,
    DateTimeOffset Expiration)
{
    // The secret key and session token are secrets: keep them out of any log line that prints this.
    public override string ToString() =>
        $"IdentityCredentials {{ IdentityId = {IdentityId}, AccessKeyId = {AccessKeyId}, Expiration = {Expiration:O} }}";
}
