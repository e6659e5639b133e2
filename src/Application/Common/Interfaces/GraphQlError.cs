namespace CleanCognito.Application.Common.Interfaces;

/// <summary>One entry of the response's <c>errors[]</c>.</summary>
public sealed record GraphQlError(string Message, string? ErrorType, IReadOnlyList<string> Path)
{
    /// <summary>AppSync reports a failed <c>@aws_cognito_user_pools</c>/<c>@aws_auth</c> check as <c>Unauthorized</c>.</summary>
    public bool IsUnauthorized =>
        ErrorType is not null && ErrorType.Contains("Unauthorized", StringComparison.OrdinalIgnoreCase);
}
