using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using Mediator;

namespace CleanCognito.Application.Files.UploadFile;

/// <summary>Stores a file in the user's folder; refuses to replace an existing one unless <paramref name="Overwrite"/>.</summary>
/// <param name="Content">Read once, as it arrives; never buffered whole.</param>
/// <param name="Length">The exact number of bytes in <paramref name="Content"/>.</param>
public sealed record UploadFileCommand(string Name, Stream Content, long Length, string? ContentType, bool Overwrite) : ICommand<StoredFile>
{
    public override string ToString() => $"UploadFileCommand {{ Name = {Name}, Length = {Length}, Overwrite = {Overwrite} }}";
}

public sealed class UploadFileCommandHandler(ICurrentIdentity identity, IFileStore store, UploadLimit limit, TimeProvider time) : ICommandHandler<UploadFileCommand, StoredFile>
{
    internal const string DefaultContentType = "application/octet-stream";

    public async ValueTask<StoredFile> Handle(UploadFileCommand command, CancellationToken cancellationToken)
    {
        if (command.Length > limit.MaxBytes)
        {
            throw new FileTooLargeException(limit.MaxBytes);
        }

        var folder = await identity.GetFolderAsync(cancellationToken);

        // No existence check first: the store's conditional write refuses an existing name itself,
        // atomically (docs/decisions/0004-conditional-upload.md). A check before it would race with
        // a second upload, and on S3 a HEAD of a new name is 403, not 404, under the role's policy.
        var contentType = UploadFileCommandValidator.IsMediaType(command.ContentType) ? command.ContentType! : DefaultContentType;
        await store.UploadAsync(folder, command.Name, command.Content, command.Length, contentType, command.Overwrite, cancellationToken);
        return new StoredFile(command.Name, command.Length, time.GetUtcNow());
    }
}
