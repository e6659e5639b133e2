using CleanCognito.Application.Common.Interfaces;
using Mediator;

namespace CleanCognito.Application.Files.SignParts;

/// <summary>URLs for parts <paramref name="FirstPart"/>..<paramref name="LastPart"/> of an upload in the user's folder.</summary>
public sealed record SignPartsCommand(string Name, string UploadId, int FirstPart, int LastPart) : ICommand<IReadOnlyList<PartUrl>>;

public sealed class SignPartsCommandHandler(ICurrentIdentity identity, IUploadStore store) : ICommandHandler<SignPartsCommand, IReadOnlyList<PartUrl>>
{
    public async ValueTask<IReadOnlyList<PartUrl>> Handle(SignPartsCommand command, CancellationToken cancellationToken)
    {
        // Signing is offline: a URL for an upload id that is not this key's is refused by S3 at the PUT (404).
        var folder = await identity.GetFolderAsync(cancellationToken);
        return await store.SignPartsAsync(folder, command.Name, command.UploadId, command.FirstPart, command.LastPart, cancellationToken);
    }
}
