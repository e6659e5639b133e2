using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Files;
using Mediator;

namespace CleanCognito.Application.Files.DeleteFile;

public sealed record DeleteFileCommand(string Name) : ICommand;

public sealed class DeleteFileCommandHandler(ICurrentIdentity identity, IFileStore store) : ICommandHandler<DeleteFileCommand>
{
    public async ValueTask<Unit> Handle(DeleteFileCommand command, CancellationToken cancellationToken)
    {
        var folder = UserFolder.For((await identity.GetAsync(cancellationToken)).IdentityId);
        await store.DeleteAsync(folder, command.Name, cancellationToken);
        return Unit.Value;
    }
}
