namespace CleanCognito.Application.Common.Interfaces;

/// <summary>
/// Sends GraphQL operations to the app's API as the signed-in user. Transport failures are thrown
/// (<see cref="Exceptions.UpstreamUnavailableException"/>, <see cref="Exceptions.SignInRequiredException"/>);
/// GraphQL <c>errors[]</c> are returned for the use case to interpret, because only it knows
/// whether partial data is still useful.
/// </summary>
public interface IGraphQlGateway
{
    /// <summary>Runs a query. Queries are safe to repeat, so transient failures are retried.</summary>
    Task<GraphQlResult<TData>> QueryAsync<TData>(GraphQlOperation operation, CancellationToken cancellationToken)
        where TData : class;

    /// <summary>Runs a mutation. Never retried: a repeated mutation could apply twice.</summary>
    Task<GraphQlResult<TData>> MutateAsync<TData>(GraphQlOperation operation, CancellationToken cancellationToken)
        where TData : class;
}

/// <summary>A GraphQL document with its variables. Values always travel as variables, never spliced into the document.</summary>
public sealed record GraphQlOperation(
    string Document,
    string OperationName,
    IReadOnlyDictionary<string, object?> Variables);

/// <summary>What the API answered: <see cref="Data"/> may be partial or null when <see cref="Errors"/> is not empty.</summary>
public sealed record GraphQlResult<TData>(TData? Data, IReadOnlyList<GraphQlError> Errors)
    where TData : class
{
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>One entry of the response's <c>errors[]</c>.</summary>
public sealed record GraphQlError(string Message, string? ErrorType, IReadOnlyList<string> Path)
{
    /// <summary>AppSync reports a failed <c>@aws_cognito_user_pools</c>/<c>@aws_auth</c> check as <c>Unauthorized</c>.</summary>
    public bool IsUnauthorized =>
        ErrorType is not null && ErrorType.Contains("Unauthorized", StringComparison.OrdinalIgnoreCase);
}
