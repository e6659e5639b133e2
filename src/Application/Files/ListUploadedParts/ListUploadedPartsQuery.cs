using CleanCognito.Application.Common.Interfaces;
using Mediator;

namespace CleanCognito.Application.Files.ListUploadedParts;

/// <summary>
/// The parts already stored for an upload the browser remembers (resume): only the missing ones are sent again.
/// The upload id comes from the browser, the key from the user's folder, so another user's upload is not found.
/// </summary>
public sealed record ListUploadedPartsQuery(string Name, string UploadId) : IQuery<IReadOnlyList<UploadedPart>>;

public sealed class ListUploadedPartsQueryHandler(ICurrentIdentity identity, IUploadStore store) : IQueryHandler<ListUploadedPartsQuery, IReadOnlyList<UploadedPart>>
{
    public async ValueTask<IReadOnlyList<UploadedPart>> Handle(ListUploadedPartsQuery query, CancellationToken cancellationToken)
    {
        var folder = await identity.GetFolderAsync(cancellationToken);
        return await store.ListPartsAsync(folder, query.Name, query.UploadId, cancellationToken);
    }
}
