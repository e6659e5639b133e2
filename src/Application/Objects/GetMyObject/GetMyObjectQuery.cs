using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Objects;
using Mediator;

namespace CleanCognito.Application.Objects.GetMyObject;

/// <summary>Reads one object by id (the origin's reference query, with the id sent as a variable).</summary>
public sealed record GetMyObjectQuery(string Id) : IQuery<MyObject>;

public sealed class GetMyObjectQueryHandler(IGraphQlGateway gateway) : IQueryHandler<GetMyObjectQuery, MyObject>
{
    internal const string Document = """
        query GetMyObject($id: ID!) {
          getMyObject(id: $id) { id name date }
        }
        """;

    public async ValueTask<MyObject> Handle(GetMyObjectQuery query, CancellationToken cancellationToken)
    {
        var operation = new GraphQlOperation(Document, "GetMyObject", new Dictionary<string, object?> { ["id"] = query.Id });
        var result = await gateway.QueryAsync<Data>(operation, cancellationToken);

        GraphQlErrors.ThrowIfFailed(result, "getMyObject");
        return result.Data?.GetMyObject ?? throw NotFoundException.For("Object", query.Id);
    }

    internal sealed record Data(MyObject? GetMyObject);
}
