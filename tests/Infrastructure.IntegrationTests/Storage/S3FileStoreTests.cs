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
[Collection(LocalAwsGroup.Name)]
public sealed class S3FileStoreTests(LocalAwsStack stack) : IAsyncLifetime
{
    private static readonly string[] Writers = ["first writer", "second writer"];
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
            await Store.UploadAsync(_folder, "reports/été 2026.bin", body, content.Length, "application/octet-stream", overwrite: false, CancellationToken.None);
        }

        var link = await Store.GetDownloadLinkAsync(_folder, "reports/été 2026.bin", CancellationToken.None);
        using var http = new HttpClient();
        using var response = await http.GetAsync(link.Url);

        response.EnsureSuccessStatusCode();
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(content);
        // The S3 front applies the signed override, as S3 does: the browser saves the file under its name.
        response.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        response.Content.Headers.ContentDisposition.FileNameStar.Should().Be("été 2026.bin");
        response.Content.Headers.ContentDisposition.FileName.Should().Be("_t_ 2026.bin");
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
    public async Task Two_uploads_of_one_new_name_at_once_store_exactly_one_and_the_other_is_told_it_exists()
    {
        for (var round = 0; round < 8; round++)
        {
            var name = $"race-{round}-{Guid.NewGuid():N}.txt";
            var attempts = Writers.Select(async text =>
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(text);
                await using var body = new NonSeekableStream(new MemoryStream(bytes));
                try
                {
                    await Store.UploadAsync(_folder, name, body, bytes.Length, "text/plain", overwrite: false, CancellationToken.None);
                    return (Text: text, Stored: true);
                }
                catch (FileAlreadyExistsException)
                {
                    return (Text: text, Stored: false);
                }
            });

            var outcomes = await Task.WhenAll(attempts);

            outcomes.Count(o => o.Stored).Should().Be(1, $"round {round}: exactly one upload may win");
            (await DownloadTextAsync(name)).Should().Be(outcomes.Single(o => o.Stored).Text);
        }
    }

    [Fact]
    public async Task A_download_link_never_outlives_credentials_that_expire_within_15_minutes()
    {
        await stack.NextCredentialsExpireAfterAsync(TimeSpan.FromMinutes(10));
        using var host = InfrastructureHost.Build(stack.AppSettings());
        var store = host.Services.GetRequiredService<IFileStore>();
        var tokens = await CognitoIdentityStandInTests.SignInAsync(stack, stack.Bob);
        var credentials = await host.Services.GetRequiredService<ICredentialCache>().GetAsync(tokens, CancellationToken.None);
        credentials.Expiration.Should().BeBefore(DateTimeOffset.UtcNow.AddMinutes(11), "the stand-in issued 10-minute credentials");
        var folder = UserFolder.For(credentials.IdentityId);
        var bytes = "short-lived"u8.ToArray();
        await using (var body = new MemoryStream(bytes))
        {
            await store.UploadAsync(folder, "short.txt", body, bytes.Length, "text/plain", overwrite: true, CancellationToken.None);
        }

        var link = await store.GetDownloadLinkAsync(folder, "short.txt", CancellationToken.None);

        link.ExpiresAt.Should().BeOnOrBefore(credentials.Expiration).And.BeBefore(DateTimeOffset.UtcNow.AddMinutes(15));
        var expiresSeconds = int.Parse(System.Web.HttpUtility.ParseQueryString(link.Url.Query)["X-Amz-Expires"]!, System.Globalization.CultureInfo.InvariantCulture);
        expiresSeconds.Should().BeLessThanOrEqualTo(600);
        using var http = new HttpClient();
        (await http.GetStringAsync(link.Url)).Should().Be("short-lived");
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
        await Store.UploadAsync(_folder, name, body, bytes.Length, "text/plain", overwrite: true, CancellationToken.None);
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
