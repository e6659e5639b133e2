namespace CleanCognito.Application.Common.Security;

/// <summary>Cognito group names the application's rules refer to (group names are case-sensitive).</summary>
public static class Groups
{
    /// <summary>May rename objects; the AppSync schema requires the same group on <c>updateMyObject</c>.</summary>
    public const string Editors = "editors";
}
