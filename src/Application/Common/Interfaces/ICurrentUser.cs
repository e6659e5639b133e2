namespace CleanCognito.Application.Common.Interfaces;

/// <summary>Who is making the request, from the validated Cognito tokens.</summary>
public interface ICurrentUser
{
    bool IsSignedIn { get; }

    /// <summary>The user pool's stable id for the user (<c>sub</c>); null when signed out.</summary>
    string? UserId { get; }

    /// <summary>The Cognito user name (<c>cognito:username</c> / <c>username</c>).</summary>
    string? Username { get; }

    string? Email { get; }

    /// <summary>The user's <c>cognito:groups</c>.</summary>
    IReadOnlyCollection<string> Groups { get; }
}
