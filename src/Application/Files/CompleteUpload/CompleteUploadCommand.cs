using CleanCognito.Application.Common.Interfaces;
using Mediator;

namespace CleanCognito.Application.Files.CompleteUpload;

/// <summary>
/// Joins the uploaded parts into the file; refuses to replace an existing file unless <paramref name="Overwrite"/>
/// (the store's conditional completion, atomic).
/// </summary>
public sealed record CompleteUploadCommand(string Name, string UploadId, IReadOnlyList<PartReceipt> Parts, bool Overwrite) : ICommand
{
    public override string ToString() => $"CompleteUploadCommand {{ Name = {Name}, Parts = {Parts?.Count}, Overwrite = {Overwrite} }}";
}

public sealed class CompleteUploadCommandHandler(ICurrentIdentity identity, IUploadStore store) : ICommandHandler<CompleteUploadCommand>
{
    public async ValueTask<Mediator.Unit> Handle(CompleteUploadCommand command, CancellationToken cancellationToken)
    {
        var folder = await identity.GetFolderAsync(cancellationToken);
        await store.CompleteAsync(folder, command.Name, command.UploadId, command.Parts, command.Overwrite, cancellationToken);
        return Mediator.Unit.Value;
    }
}
