using CleanCognito.Application.Common.Interfaces;
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
    public async ValueTask<MyObjectPage> Handle(ListMyObjectsQuery query, CancellationToken cancellationToken) =>
        await MyObjectPageReader.ReadAsync(gateway, query, cancellationToken);
}
