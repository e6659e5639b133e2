using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Objects;
using Mediator;

namespace CleanCognito.Application.Objects.GetMyObject;

/// <summary>Reads one object by id (the flask-cognito-lib example's reference query, with the id sent as a variable).</summary>
public sealed record GetMyObjectQuery(string Id) : IQuery<MyObject>;

public sealed class GetMyObjectQueryHandler(IGraphQlGateway gateway) : IQueryHandler<GetMyObjectQuery, MyObject>
{
    internal const string Document = $$"""
        query GetMyObject($id: ID!) {
          getMyObject(id: $id) { {{MyObjectFields.Selection}} }
        }
        """;

    public async ValueTask<MyObject> Handle(GetMyObjectQuery query, CancellationToken cancellationToken)
    {
        var operation = new GraphQlOperation(Document, "GetMyObject", new Dictionary<string, object?> { ["id"] = query.Id });
        var result = await gateway.QueryAsync<Data>(operation, cancellationToken);

        // One object with a failed field is no object: any error on it fails the whole read.
        GraphQlErrors.ThrowIfFailed(result, "getMyObject");
        var fields = result.Data?.GetMyObject;
        if (fields is null)
        {
            throw NotFoundException.For("Object", query.Id);
        }

        return fields.ToDomain() ?? throw new GraphQlOperationException();
    }

    internal sealed record Data(MyObjectFields? GetMyObject);
}
