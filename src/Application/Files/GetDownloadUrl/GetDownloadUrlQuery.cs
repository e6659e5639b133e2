using CleanCognito.Application.Common.Interfaces;
using Mediator;

namespace CleanCognito.Application.Files.GetDownloadUrl;

/// <summary>A presigned URL for one of the user's files, valid for minutes and never past the credentials' expiry.</summary>
public sealed record GetDownloadUrlQuery(string Name) : IQuery<DownloadLink>;

public sealed class GetDownloadUrlQueryHandler(ICurrentIdentity identity, IFileStore store) : IQueryHandler<GetDownloadUrlQuery, DownloadLink>
{
    public async ValueTask<DownloadLink> Handle(GetDownloadUrlQuery query, CancellationToken cancellationToken)
    {
        var folder = await identity.GetFolderAsync(cancellationToken);
        return await store.GetDownloadLinkAsync(folder, query.Name, cancellationToken);
    }
}
