using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Files;
using Mediator;

namespace CleanCognito.Application.Files.UploadFile;

/// <summary>Stores a file in the user's folder; refuses to replace an existing one unless <paramref name="Overwrite"/>.</summary>
/// <param name="Content">Read once, as it arrives; never buffered whole.</param>
/// <param name="Length">The exact number of bytes in <paramref name="Content"/>.</param>
public sealed record UploadFileCommand(string Name, Stream Content, long Length, string? ContentType, bool Overwrite) : ICommand<StoredFile>
{
    public override string ToString() => $"UploadFileCommand {{ Name = {Name}, Length = {Length}, Overwrite = {Overwrite} }}";
}

public sealed class UploadFileCommandHandler(ICurrentIdentity identity, IFileStore store, TimeProvider time) : ICommandHandler<UploadFileCommand, StoredFile>
{
    internal const string DefaultContentType = "application/octet-stream";

    public async ValueTask<StoredFile> Handle(UploadFileCommand command, CancellationToken cancellationToken)
    {
        if (command.Length > store.MaxUploadBytes)
        {
            throw new FileTooLargeException(store.MaxUploadBytes);
        }

        var folder = UserFolder.For((await identity.GetAsync(cancellationToken)).IdentityId);

        // Check-then-put: two uploads of the same new name at the same moment can both pass the
        // check and the later one wins. S3's conditional write (If-None-Match: *) would close that
        // gap, but the local stand-in (moto) ignores it, so the tests could not prove it; the
        // window is one request long and only the user's own uploads race in their own folder.
        if (!command.Overwrite && await store.ExistsAsync(folder, command.Name, cancellationToken))
        {
            throw FileAlreadyExistsException.For(command.Name);
        }

        var contentType = UploadFileCommandValidator.IsMediaType(command.ContentType) ? command.ContentType! : DefaultContentType;
        await store.UploadAsync(folder, command.Name, command.Content, command.Length, contentType, cancellationToken);
        return new StoredFile(command.Name, command.Length, time.GetUtcNow());
    }
}
