namespace CleanCognito.Application.Account.GetProfile;

/// <summary>The user's identity pool IdentityId and when the app's current credentials for it expire.</summary>
public sealed record MyIdentity(string IdentityId, DateTimeOffset CredentialsExpireAt);
