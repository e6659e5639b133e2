using CleanCognito.Application.Common.Interfaces;
using Mediator;

namespace CleanCognito.Application.Files.AbortUpload;

/// <summary>Cancels an upload in the user's folder: the store drops its parts.</summary>
public sealed record AbortUploadCommand(string Name, string UploadId) : ICommand;

public sealed class AbortUploadCommandHandler(ICurrentIdentity identity, IUploadStore store) : ICommandHandler<AbortUploadCommand>
{
    public async ValueTask<Mediator.Unit> Handle(AbortUploadCommand command, CancellationToken cancellationToken)
    {
        var folder = await identity.GetFolderAsync(cancellationToken);
        await store.AbortAsync(folder, command.Name, command.UploadId, cancellationToken);
        return Mediator.Unit.Value;
    }
}
