using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Objects;

namespace CleanCognito.Application.Objects.ListMyObjects;

/// <summary>
/// Reads one page of the user's objects over the gateway: the document, and how a partial or refused
/// answer reads. Shared by the list use case and the home page's summary, which both call the port
/// through it (a handler never creates another handler: that would skip the other's validation).
/// </summary>
internal static class MyObjectPageReader
{
    internal const string Field = "listMyObjects";

    internal const string Document = $$"""
        query ListMyObjects($limit: Int, $nextToken: String) {
          listMyObjects(limit: $limit, nextToken: $nextToken) { items { {{MyObjectFields.Selection}} } nextToken }
        }
        """;

    public static async Task<MyObjectPage> ReadAsync(IGraphQlGateway gateway, ListMyObjectsQuery query, CancellationToken cancellationToken)
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
