using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Files;

namespace CleanCognito.Application.UnitTests.Files;

/// <summary>An in-memory bucket keyed by full S3 key, so tests can assert where things landed.</summary>
internal sealed class FakeFileStore : IFileStore
{
    public Dictionary<string, byte[]> Objects { get; } = new(StringComparer.Ordinal);

    public List<(UserFolder Folder, int PageSize, string? Token)> Lists { get; } = [];

    public int DefaultPageSize { get; init; } = 25;

    public Task<FilePage> ListAsync(UserFolder folder, int pageSize, string? nextToken, CancellationToken cancellationToken)
    {
        Lists.Add((folder, pageSize, nextToken));
        var files = Objects.Where(o => o.Key.StartsWith(folder.Prefix, StringComparison.Ordinal))
            .Select(o => new StoredFile(folder.NameOf(o.Key)!, o.Value.Length, DateTimeOffset.UnixEpoch))
            .ToList();
        return Task.FromResult(new FilePage(files, null));
    }

    /// <summary>How often a handler asked whether a file exists (the upload must not: the store's conditional write decides).</summary>
    public int ExistenceChecks { get; private set; }

    public Task<bool> ExistsAsync(UserFolder folder, string name, CancellationToken cancellationToken)
    {
        ExistenceChecks++;
        return Task.FromResult(Objects.ContainsKey(folder.KeyFor(name)));
    }

    public async Task UploadAsync(UserFolder folder, string name, Stream content, long length, string contentType, bool overwrite, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        // Like S3's If-None-Match: * — the write itself refuses an existing key.
        if (!overwrite && Objects.ContainsKey(folder.KeyFor(name)))
        {
            throw FileAlreadyExistsException.For(name);
        }

        Objects[folder.KeyFor(name)] = buffer.ToArray();
        LastContentType = contentType;
    }

    public string? LastContentType { get; private set; }

    public Task<DownloadLink> GetDownloadLinkAsync(UserFolder folder, string name, CancellationToken cancellationToken) =>
        Task.FromResult(new DownloadLink(new Uri($"https://bucket.example/{folder.KeyFor(name)}"), DateTimeOffset.UnixEpoch));

    public Task DeleteAsync(UserFolder folder, string name, CancellationToken cancellationToken)
    {
        Objects.Remove(folder.KeyFor(name));
        return Task.CompletedTask;
    }
}

internal sealed class FakeCurrentIdentity(string identityId = FakeCurrentIdentity.AliceIdentity) : ICurrentIdentity
{
    public const string AliceIdentity = "us-east-1:11111111-1111-4111-8111-111111111111";

    public static readonly DateTimeOffset Expiry = new(2026, 11, 26, 11, 0, 0, TimeSpan.Zero);

    public ValueTask<UserFolder> GetFolderAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(UserFolder.For(identityId));

    public ValueTask<IdentityCredentials> GetCredentialsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new IdentityCredentials(identityId, "ASIA", "secret", "token", Expiry));

    public ValueTask<IdentityCredentials> RenewCredentialsAsync(IdentityCredentials rejected, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new IdentityCredentials(identityId, "ASIA2", "secret-2", "token-2", Expiry));
}
