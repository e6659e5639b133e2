namespace CleanCognito.Application.Common.Sessions;

/// <summary>How long a refresh token the pool could not revoke at sign-out stays refused here.</summary>
/// <param name="RefreshTokenLifetime">
/// As long as a browser may still send it: the refresh cookie's age (<c>Cognito:RefreshCookieAgeSeconds</c>).
/// </param>
public sealed record SignOutPolicy(TimeSpan RefreshTokenLifetime);
