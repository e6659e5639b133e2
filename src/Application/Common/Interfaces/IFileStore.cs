using CleanCognito.Domain.Files;

namespace CleanCognito.Application.Common.Interfaces;

/// <summary>
/// The user's private files. Every method works inside one <see cref="UserFolder"/>; names are
/// already validated (<see cref="FileName"/>). Failures of the store are thrown as
/// <see cref="Exceptions.UpstreamUnavailableException"/>.
/// </summary>
public interface IFileStore
{
    /// <summary>The page size used when the caller does not choose one (<c>Storage:PageSize</c>).</summary>
    int DefaultPageSize { get; }

    /// <summary>One page of files, in key order; <see cref="FilePage.NextToken"/> continues it.</summary>
    Task<FilePage> ListAsync(UserFolder folder, int pageSize, string? nextToken, CancellationToken cancellationToken);

    /// <summary>Whether the folder holds a file of exactly this name.</summary>
    Task<bool> ExistsAsync(UserFolder folder, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="content"/> (read once, not buffered whole) as <paramref name="name"/>.
    /// Without <paramref name="overwrite"/> the store itself refuses, atomically, to replace a file of
    /// that name (<see cref="Exceptions.FileAlreadyExistsException"/>), so two uploads of one new name
    /// at once store exactly one of them.
    /// </summary>
    Task UploadAsync(UserFolder folder, string name, Stream content, long length, string contentType, bool overwrite, CancellationToken cancellationToken);

    /// <summary>A short-lived URL that downloads the file as an attachment with its name. Throws <see cref="Exceptions.NotFoundException"/>.</summary>
    Task<DownloadLink> GetDownloadLinkAsync(UserFolder folder, string name, CancellationToken cancellationToken);

    /// <summary>Deletes the file; deleting a file that is not there is not an error here (S3 answers 204 either way).</summary>
    Task DeleteAsync(UserFolder folder, string name, CancellationToken cancellationToken);
}
