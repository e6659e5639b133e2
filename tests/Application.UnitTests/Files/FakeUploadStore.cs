using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Files;

namespace CleanCognito.Application.UnitTests.Files;

/// <summary>Multipart uploads in memory, each bound to the full key it was started for (as S3 binds them).</summary>
internal sealed class FakeUploadStore : IUploadStore
{
    private int _next;

    /// <summary>Upload id → (key, content type, parts by number).</summary>
    public Dictionary<string, (string Key, string ContentType, SortedDictionary<int, string> Parts)> Uploads { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Objects { get; } = new(StringComparer.Ordinal);

    public List<(int First, int Last)> Signed { get; } = [];

    public Task<string> StartAsync(UserFolder folder, string name, string contentType, CancellationToken cancellationToken)
    {
        var id = $"upload-{++_next}";
        Uploads[id] = (folder.KeyFor(name), contentType, new SortedDictionary<int, string>());
        return Task.FromResult(id);
    }

    public Task<IReadOnlyList<PartUrl>> SignPartsAsync(UserFolder folder, string name, string uploadId, int firstPart, int lastPart, CancellationToken cancellationToken)
    {
        Signed.Add((firstPart, lastPart));
        IReadOnlyList<PartUrl> urls = Enumerable.Range(firstPart, lastPart - firstPart + 1)
            .Select(n => new PartUrl(n, new Uri($"https://bucket.example/{folder.KeyFor(name)}?partNumber={n}&uploadId={uploadId}"), DateTimeOffset.UnixEpoch))
            .ToList();
        return Task.FromResult(urls);
    }

    public Task<IReadOnlyList<UploadedPart>> ListPartsAsync(UserFolder folder, string name, string uploadId, CancellationToken cancellationToken)
    {
        var upload = Find(folder, name, uploadId);
        IReadOnlyList<UploadedPart> parts = upload.Parts.Select(p => new UploadedPart(p.Key, p.Value, 5)).ToList();
        return Task.FromResult(parts);
    }

    public Task CompleteAsync(UserFolder folder, string name, string uploadId, IReadOnlyList<PartReceipt> parts, bool overwrite, CancellationToken cancellationToken)
    {
        var upload = Find(folder, name, uploadId);
        if (!overwrite && Objects.Contains(upload.Key))
        {
            throw FileAlreadyExistsException.For(name);
        }

        Objects.Add(upload.Key);
        Uploads.Remove(uploadId);
        return Task.CompletedTask;
    }

    public Task AbortAsync(UserFolder folder, string name, string uploadId, CancellationToken cancellationToken)
    {
        Find(folder, name, uploadId);
        Uploads.Remove(uploadId);
        return Task.CompletedTask;
    }

    /// <summary>S3's rule: an upload id used with any other key is NoSuchUpload.</summary>
    private (string Key, string ContentType, SortedDictionary<int, string> Parts) Find(UserFolder folder, string name, string uploadId) =>
        Uploads.TryGetValue(uploadId, out var upload) && upload.Key == folder.KeyFor(name)
            ? upload
            : throw new NotFoundException("That upload is not in progress any more: start it again.");
}
