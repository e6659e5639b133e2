using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Objects;
using Mediator;

namespace CleanCognito.Application.Objects.ListMyObjects;

/// <summary>One page of the user's objects.</summary>
/// <param name="PageSize">1–100 objects per page.</param>
/// <param name="NextToken">The opaque token of a previous page's <see cref="MyObjectPage.NextToken"/>; null for the first page.</param>
public sealed record ListMyObjectsQuery(int PageSize = ListMyObjectsQuery.DefaultPageSize, string? NextToken = null) : IQuery<MyObjectPage>
{
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 100;

    /// <summary>Real AppSync tokens are a few hundred characters; a bound keeps URLs that carry them short.</summary>
    public const int MaxNextTokenLength = 2048;
}

public sealed class ListMyObjectsQueryHandler(IGraphQlGateway gateway) : IQueryHandler<ListMyObjectsQuery, MyObjectPage>
{
    internal const string Field = "listMyObjects";

    internal const string Document = $$"""
        query ListMyObjects($limit: Int, $nextToken: String) {
          listMyObjects(limit: $limit, nextToken: $nextToken) { items { {{MyObjectFields.Selection}} } nextToken }
        }
        """;

    public async ValueTask<MyObjectPage> Handle(ListMyObjectsQuery query, CancellationToken cancellationToken)
    {
        var operation = new GraphQlOperation(Document, "ListMyObjects", new Dictionary<string, object?>
        {
            ["limit"] = query.PageSize,
            ["nextToken"] = query.NextToken,
        });
        var result = await gateway.QueryAsync<Data>(operation, cancellationToken);

        var errors = GraphQlErrors.On(result, Field);
        var connection = result.Data?.ListMyObjects;
        if (connection is null || errors.Any(e => e.IsUnauthorized))
        {
            throw NoPage(query, errors);
        }

        // A resolver may answer with the items it could read and an error for the rest
        // ($util.appendError): show what came back and say that some are missing.
        var complete = (connection.Items ?? []).Select(item => item?.ToDomain()).OfType<MyObject>().ToList();
        var isPartial = errors.Count > 0 || complete.Count != (connection.Items?.Count ?? 0);
        return new MyObjectPage(complete, connection.NextToken, isPartial);
    }

    private static Exception NoPage(ListMyObjectsQuery query, IReadOnlyList<GraphQlError> errors)
    {
        // A token that was edited or has expired is the user's link, not a fault of the service.
        if (query.NextToken is not null && errors.Count > 0 && errors.All(IsRefusedToken))
        {
            return new ValidationException(nameof(ListMyObjectsQuery.NextToken), "This page link is no longer valid. Start again from the first page.");
        }

        return errors.Count > 0 ? GraphQlErrors.ToException(errors) : new GraphQlOperationException();
    }

    /// <summary>
    /// This API's resolver reports a refused token as <c>BadRequestException</c>; AppSync's own type for
    /// an invalid DynamoDB pagination token (what a resolver that passes errors on reports) is
    /// <c>DynamoDB:UserIllegalArgumentException</c>.
    /// </summary>
    private static bool IsRefusedToken(GraphQlError error) =>
        error.ErrorType is { } type
        && (type.Contains("BadRequest", StringComparison.OrdinalIgnoreCase)
            || string.Equals(type, "DynamoDB:UserIllegalArgumentException", StringComparison.Ordinal));

    internal sealed record Data(Connection? ListMyObjects);

    internal sealed record Connection(IReadOnlyList<MyObjectFields?>? Items, string? NextToken);
}
