using CleanCognito.Domain.Files;

namespace CleanCognito.Application.Common.Interfaces;

/// <summary>
/// Uploads the browser sends straight to the store in parts (S3 multipart): the app starts them,
/// signs each part's URL, and completes, lists or aborts them. Every method works inside one
/// <see cref="UserFolder"/> and builds the key from it and a validated name: no key ever comes from
/// the client, so an upload id of another user's key is simply not found. Failures of the store are
/// thrown as <see cref="Exceptions.UpstreamUnavailableException"/>.
/// </summary>
public interface IUploadStore
{
    /// <summary>Starts an upload of <paramref name="name"/>; returns its upload id.</summary>
    Task<string> StartAsync(UserFolder folder, string name, string contentType, CancellationToken cancellationToken);

    /// <summary>
    /// URLs that each accept one part's bytes (a PUT) for parts <paramref name="firstPart"/>..<paramref name="lastPart"/>,
    /// valid for minutes and never past the credentials that signed them.
    /// </summary>
    Task<IReadOnlyList<PartUrl>> SignPartsAsync(UserFolder folder, string name, string uploadId, int firstPart, int lastPart, CancellationToken cancellationToken);

    /// <summary>The parts the store holds for the upload (to resume). Throws <see cref="Exceptions.NotFoundException"/> for an upload that is not in progress.</summary>
    Task<IReadOnlyList<UploadedPart>> ListPartsAsync(UserFolder folder, string name, string uploadId, CancellationToken cancellationToken);

    /// <summary>
    /// Joins the parts into the file. Without <paramref name="overwrite"/> the store itself refuses,
    /// atomically, to replace a file of that name (<see cref="Exceptions.FileAlreadyExistsException"/>);
    /// the upload stays in progress then, so the user can still replace.
    /// </summary>
    Task CompleteAsync(UserFolder folder, string name, string uploadId, IReadOnlyList<PartReceipt> parts, bool overwrite, CancellationToken cancellationToken);

    /// <summary>Abandons the upload; the store drops the parts it holds. Throws <see cref="Exceptions.NotFoundException"/> for an upload that is not in progress.</summary>
    Task AbortAsync(UserFolder folder, string name, string uploadId, CancellationToken cancellationToken);
}
