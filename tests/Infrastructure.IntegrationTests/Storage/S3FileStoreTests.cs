using System.Security.Cryptography;
using CleanCognito.Application.Common.Credentials;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Files.UploadFile;
using CleanCognito.Domain.Files;
using CleanCognito.Infrastructure.IntegrationTests.CognitoIdentity;
using CleanCognito.Infrastructure.Storage;
using CleanCognito.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CleanCognito.Infrastructure.IntegrationTests.Storage;

/// <summary>The S3 adapter against moto, with credentials from the local identity pool.</summary>
[Collection(LocalAwsStackGroup.Name)]
public sealed class S3FileStoreTests(LocalAwsStack stack) : IAsyncLifetime
{
    private IHost _host = null!;
    private UserFolder _folder = null!;

    private IFileStore Store => _host.Services.GetRequiredService<IFileStore>();

    public async Task InitializeAsync()
    {
        var settings = stack.AppSettings();
        settings["Storage:PageSize"] = "2";
        _host = InfrastructureHost.Build(settings);
        var tokens = await CognitoIdentityStandInTests.SignInAsync(stack, stack.Bob);
        var credentials = await _host.Services.GetRequiredService<ICredentialCache>().GetAsync(tokens, CancellationToken.None);
        _folder = UserFolder.For(credentials.IdentityId);
        await EmptyFolderAsync();
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Upload_streams_a_forward_only_body_and_the_presigned_url_returns_the_same_bytes()
    {
        var content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        await using (var body = new NonSeekableStream(new MemoryStream(content)))
        {
            await Store.UploadAsync(_folder, "reports/été 2026.bin", body, content.Length, "application/octet-stream", CancellationToken.None);
        }

        var link = await Store.GetDownloadLinkAsync(_folder, "reports/été 2026.bin", CancellationToken.None);
        using var http = new HttpClient();
        using var response = await http.GetAsync(link.Url);

        response.EnsureSuccessStatusCode();
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(content);
        // S3 answers with this header (moto ignores the override, so the signed URL is checked).
        Uri.UnescapeDataString(link.Url.Query).Should().Contain("response-content-disposition=attachment; filename=\"_t_ 2026.bin\"; filename*=UTF-8''%C3%A9t%C3%A9%202026.bin");
        link.ExpiresAt.Should().BeCloseTo(DateTimeOffset.UtcNow.AddMinutes(15), TimeSpan.FromMinutes(1));
        link.Url.Query.Should().Contain("X-Amz-Expires=");
    }

    [Fact]
    public async Task List_returns_one_page_at_a_time_with_a_continuation_token()
    {
        foreach (var name in new[] { "a.txt", "b.txt", "c.txt", "d.txt", "e.txt" })
        {
            await UploadTextAsync(name, name);
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.ListAsync(_folder, Store.DefaultPageSize, token, CancellationToken.None);
            page.Files.Count.Should().BeLessThanOrEqualTo(2);
            names.AddRange(page.Files.Select(f => f.Name));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        pages.Should().Be(3);
        names.Should().Equal("a.txt", "b.txt", "c.txt", "d.txt", "e.txt");
    }

    [Fact]
    public async Task Delete_removes_the_file_and_a_download_link_for_it_is_not_found()
    {
        await UploadTextAsync("gone.txt", "bye");

        await Store.DeleteAsync(_folder, "gone.txt", CancellationToken.None);

        (await Store.ExistsAsync(_folder, "gone.txt", CancellationToken.None)).Should().BeFalse();
        var act = () => Store.GetDownloadLinkAsync(_folder, "gone.txt", CancellationToken.None);
        await act.Should().ThrowAsync<NotFoundException>();
    }

    [Fact]
    public async Task Upload_refuses_to_overwrite_unless_asked()
    {
        var handler = new UploadFileCommandHandler(new FixedIdentity(_folder.IdentityId), Store, TimeProvider.System);
        await SendAsync(handler, "same.txt", "first", overwrite: false);

        var act = () => SendAsync(handler, "same.txt", "second", overwrite: false);
        await act.Should().ThrowAsync<FileAlreadyExistsException>();
        (await DownloadTextAsync("same.txt")).Should().Be("first");

        await SendAsync(handler, "same.txt", "second", overwrite: true);
        (await DownloadTextAsync("same.txt")).Should().Be("second");
    }

    [Fact]
    public void Clients_are_reused_per_identity()
    {
        var pool = _host.Services.GetRequiredService<S3ClientPool>();
        pool.ClientFor(_folder.IdentityId).Should().BeSameAs(pool.ClientFor(_folder.IdentityId));
    }

    private static async Task SendAsync(UploadFileCommandHandler handler, string name, string text, bool overwrite)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        await using var body = new MemoryStream(bytes);
        await handler.Handle(new UploadFileCommand(name, body, bytes.Length, "text/plain", overwrite), CancellationToken.None);
    }

    private async Task UploadTextAsync(string name, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        await using var body = new MemoryStream(bytes);
        await Store.UploadAsync(_folder, name, body, bytes.Length, "text/plain", CancellationToken.None);
    }

    private async Task<string> DownloadTextAsync(string name)
    {
        var link = await Store.GetDownloadLinkAsync(_folder, name, CancellationToken.None);
        using var http = new HttpClient();
        return await http.GetStringAsync(link.Url);
    }

    private async Task EmptyFolderAsync()
    {
        string? token = null;
        var names = new List<string>();
        do
        {
            var page = await Store.ListAsync(_folder, 1000, token, CancellationToken.None);
            names.AddRange(page.Files.Select(f => f.Name));
            token = page.NextPageToken;
        }
        while (token is not null);

        foreach (var name in names)
        {
            await Store.DeleteAsync(_folder, name, CancellationToken.None);
        }
    }

    private sealed class FixedIdentity(string identityId) : ICurrentIdentity
    {
        public ValueTask<IdentityCredentials> GetAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(new IdentityCredentials(identityId, "unused", "unused", "unused", DateTimeOffset.MaxValue));
    }
}
