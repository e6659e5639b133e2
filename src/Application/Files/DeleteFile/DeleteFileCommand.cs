using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using Mediator;

namespace CleanCognito.Application.Files.DeleteFile;

public sealed record DeleteFileCommand(string Name) : ICommand;

public sealed class DeleteFileCommandHandler(ICurrentIdentity identity, IFileStore store) : ICommandHandler<DeleteFileCommand>
{
    public async ValueTask<Unit> Handle(DeleteFileCommand command, CancellationToken cancellationToken)
    {
        var folder = await identity.GetFolderAsync(cancellationToken);

        // S3 answers 204 to a delete of a missing key, so "Deleted" would be said of anything:
        // ask first. (A file deleted in between is gone either way; that race is harmless.)
        if (!await store.ExistsAsync(folder, command.Name, cancellationToken))
        {
            throw new NotFoundException($"There is no file named \"{command.Name}\" in your folder.");
        }

        await store.DeleteAsync(folder, command.Name, cancellationToken);
        return Unit.Value;
    }
}
