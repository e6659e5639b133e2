using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Files.UploadFile;
using CleanCognito.Application.Files.Uploads;
using Mediator;

namespace CleanCognito.Application.Files.StartUpload;

/// <summary>
/// Starts a direct upload of <paramref name="Name"/> (<paramref name="Size"/> bytes) into the user's
/// folder: the name rules and the size limit are checked before anything is created in the store.
/// </summary>
public sealed record StartUploadCommand(string Name, long Size, string? ContentType) : ICommand<UploadSession>;

public sealed class StartUploadCommandHandler(ICurrentIdentity identity, IUploadStore store, DirectUploadLimit limit) : ICommandHandler<StartUploadCommand, UploadSession>
{
    /// <summary>URLs signed with the start: two rounds of four parts at a time; the browser asks for more.</summary>
    internal const int FirstBatch = 8;

    public async ValueTask<UploadSession> Handle(StartUploadCommand command, CancellationToken cancellationToken)
    {
        if (command.Size > limit.MaxBytes)
        {
            throw new FileTooLargeException(limit.MaxBytes);
        }

        var folder = await identity.GetFolderAsync(cancellationToken);
        var plan = PartPlan.For(command.Size);
        var contentType = UploadFileCommandValidator.IsMediaType(command.ContentType) ? command.ContentType! : UploadFileCommandHandler.DefaultContentType;
        // No existence check: completion is conditional (If-None-Match), which is atomic; a check here would race.
        var uploadId = await store.StartAsync(folder, command.Name, contentType, cancellationToken);
        var urls = await store.SignPartsAsync(folder, command.Name, uploadId, 1, Math.Min(plan.PartCount, FirstBatch), cancellationToken);
        return new UploadSession(uploadId, command.Name, plan.PartSize, plan.PartCount, urls);
    }
}
