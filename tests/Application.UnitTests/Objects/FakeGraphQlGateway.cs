using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Application.UnitTests.Objects;

/// <summary>Answers every operation with one prepared result and remembers what it was sent.</summary>
internal sealed class FakeGraphQlGateway(Func<GraphQlOperation, object> answer) : IGraphQlGateway
{
    public List<GraphQlOperation> Queries { get; } = [];

    public List<GraphQlOperation> Mutations { get; } = [];

    public Task<GraphQlResult<TData>> QueryAsync<TData>(GraphQlOperation operation, CancellationToken cancellationToken)
        where TData : class
    {
        Queries.Add(operation);
        return Task.FromResult((GraphQlResult<TData>)answer(operation));
    }

    public Task<GraphQlResult<TData>> MutateAsync<TData>(GraphQlOperation operation, CancellationToken cancellationToken)
        where TData : class
    {
        Mutations.Add(operation);
        return Task.FromResult((GraphQlResult<TData>)answer(operation));
    }
}
