namespace CleanCognito.Application.Account.GetProfile;

/// <param name="Identity">Null when the identity pool cannot be reached: the rest of the profile still shows.</param>
public sealed record Profile(
    string Username,
    string? Email,
    IReadOnlyCollection<string> Groups,
    DateTimeOffset AccessTokenExpiresAt,
    DateTimeOffset IdTokenExpiresAt,
    MyIdentity? Identity);
