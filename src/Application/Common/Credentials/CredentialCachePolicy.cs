namespace CleanCognito.Application.Common.Credentials;

/// <summary>How long before their expiry cached credentials are replaced (<c>IdentityPool:RefreshMarginSeconds</c>).</summary>
/// <param name="RefreshMargin">
/// Long enough that a request (or a presigned URL) started with the old credentials still finishes
/// before they expire; AWS SDKs use about 5 minutes too.
/// </param>
public sealed record CredentialCachePolicy(TimeSpan RefreshMargin)
{
    public static CredentialCachePolicy Default { get; } = new(TimeSpan.FromMinutes(5));
}
