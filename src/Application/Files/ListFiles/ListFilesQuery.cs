using CleanCognito.Application.Common.Interfaces;
using Mediator;

namespace CleanCognito.Application.Files.ListFiles;

/// <summary>One page of the user's files. <paramref name="NextToken"/> is the previous page's <see cref="FilePage.NextToken"/>.</summary>
public sealed record ListFilesQuery(int? PageSize = null, string? NextToken = null) : IQuery<FilePage>;

public sealed class ListFilesQueryHandler(ICurrentIdentity identity, IFileStore store) : IQueryHandler<ListFilesQuery, FilePage>
{
    public async ValueTask<FilePage> Handle(ListFilesQuery query, CancellationToken cancellationToken)
    {
        var folder = await identity.GetFolderAsync(cancellationToken);
        var token = string.IsNullOrEmpty(query.NextToken) ? null : query.NextToken;
        return await store.ListAsync(folder, query.PageSize ?? store.DefaultPageSize, token, cancellationToken);
    }
}
