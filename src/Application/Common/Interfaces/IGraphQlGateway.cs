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
