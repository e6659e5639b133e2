using System.Security.Cryptography;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Files.UploadFile;
using CleanCognito.Domain.Files;
using Amazon.DynamoDBv2;
using Amazon.S3;
using CleanCognito.Infrastructure.Aws;
using CleanCognito.Infrastructure.IntegrationTests.CognitoIdentity;
using CleanCognito.Infrastructure.Storage;
using CleanCognito.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CleanCognito.Infrastructure.IntegrationTests.Storage;

/// <summary>
/// The S3 adapter against moto, with credentials from the local identity pool: a request scope of
/// a host with the app's registrations, signed in as bob (real tokens from the hosted UI stand-in).
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class S3FileStoreTests(LocalAwsStack stack) : IAsyncLifetime
{
    private static readonly string[] Writers = ["first writer", "second writer"];
    private IHost _host = null!;
    private IServiceScope _request = null!;
    private UserFolder _folder = null!;

    private IFileStore Store => _request.ServiceProvider.GetRequiredService<IFileStore>();

    public async Task InitializeAsync()
    {
        var settings = stack.AppSettings();
        settings["Storage:PageSize"] = "2";
        (_host, _request) = await SignedInRequestAsync(stack, stack.Bob, settings);
        _folder = await _request.ServiceProvider.GetRequiredService<ICurrentIdentity>().GetFolderAsync(CancellationToken.None);
        await EmptyFolderAsync();
    }

    public Task DisposeAsync()
    {
        _request.Dispose();
        _host.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The ordering rule that is gone: before, the S3 client asked the cache for an identity by id
    /// and failed ("sign in again") unless a handler had fetched the same credentials first. Here
    /// nothing has touched the cache: the store fetches the credentials itself, from the signed-in
    /// user's ID token, and the identity pool sees one GetId and one GetCredentialsForIdentity.
    /// </summary>
    [Fact]
    public async Task The_store_works_for_a_signed_in_user_with_no_earlier_call()
    {
        var tokens = await CognitoIdentityStandInTests.SignInAsync(stack, stack.Alice);
        using var host = InfrastructureHost.Build(stack.AppSettings(), configure: services => services.AddScoped<ICurrentUserTokens>(_ => new SignedInUser(tokens)));
        // The folder from the identity pool directly, not through the app's cache.
        var identityId = await host.Services.GetRequiredService<ICredentialExchange>().GetIdentityIdAsync(tokens, CancellationToken.None);
        var folder = UserFolder.For(identityId);
        var before = await IdentityPoolCallsAsync();

        using (var request = host.Services.CreateScope())
        {
            var store = request.ServiceProvider.GetRequiredService<IFileStore>();
            var bytes = "no handler first"u8.ToArray();
            await using var body = new MemoryStream(bytes);
            await store.UploadAsync(folder, "first-call.txt", body, bytes.Length, "text/plain", overwrite: true, CancellationToken.None);
            var page = await store.ListAsync(folder, 1000, null, CancellationToken.None);
            page.Files.Should().ContainSingle(f => f.Name == "first-call.txt").Which.Size.Should().Be(bytes.Length);
        }

        var after = await IdentityPoolCallsAsync();
        (after.GetId - before.GetId).Should().Be(1, "the store's first call resolved the IdentityId through the cache");
        (after.Credentials - before.Credentials).Should().Be(1, "and fetched the credentials once, for both S3 calls");
    }

    [Fact]
    public async Task A_folder_of_another_identity_is_refused_before_S3_is_called()
    {
        var elsewhere = UserFolder.For("us-east-1:00000000-0000-4000-8000-000000000000");

        var act = () => Store.ListAsync(elsewhere, 10, null, CancellationToken.None);

        await act.Should().ThrowAsync<ForbiddenAccessException>();
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
            token = page.NextToken;
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
        var services = _request.ServiceProvider;
        var handler = new UploadFileCommandHandler(services.GetRequiredService<ICurrentIdentity>(), Store, services.GetRequiredService<UploadLimit>(), TimeProvider.System);
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
        var (host, request) = await SignedInRequestAsync(stack, stack.Bob, stack.AppSettings());
        using var disposeHost = host;
        using var disposeRequest = request;
        var store = request.ServiceProvider.GetRequiredService<IFileStore>();
        var credentials = await request.ServiceProvider.GetRequiredService<ICurrentIdentity>().GetCredentialsAsync(CancellationToken.None);
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
    public async Task Clients_are_reused_per_identity()
    {
        var pool = _host.Services.GetRequiredService<AwsClientPool>();
        var s3 = _host.Services.GetRequiredService<AwsService<AmazonS3Client>>();
        var dynamoDb = _host.Services.GetRequiredService<AwsService<AmazonDynamoDBClient>>();
        var credentials = await _request.ServiceProvider.GetRequiredService<ICurrentIdentity>().GetCredentialsAsync(CancellationToken.None);
        pool.ClientFor(s3, credentials).Should().BeSameAs(pool.ClientFor(s3, credentials));
        pool.ClientFor(dynamoDb, credentials).Should().BeSameAs(pool.ClientFor(dynamoDb, credentials), "one client per identity and service");
        s3.Region.Should().Be(dynamoDb.Region, "both default to the identity pool's region, resolved once per service");
    }

    /// <summary>
    /// A pooled client signs each request with the newest set its identity's requests fetched: a
    /// refresh reaches a client that is already built, and a late request holding an older set
    /// cannot move it back (a presigned URL is bounded by the set its request fetched).
    /// </summary>
    [Fact]
    public async Task A_pooled_client_signs_with_the_set_that_expires_last()
    {
        var pool = _host.Services.GetRequiredService<AwsClientPool>();
        var s3 = _host.Services.GetRequiredService<AwsService<AmazonS3Client>>();
        var real = await _request.ServiceProvider.GetRequiredService<ICurrentIdentity>().GetCredentialsAsync(CancellationToken.None);
        var list = new Amazon.S3.Model.ListObjectsV2Request { BucketName = stack.Bucket, Prefix = _folder.Prefix };
        var client = pool.ClientFor(s3, real);

        pool.ClientFor(s3, real with { SecretKey = "older-and-wrong", Expiration = real.Expiration.AddMinutes(-1) }).Should().BeSameAs(client);
        (await client.ListObjectsV2Async(list)).HttpStatusCode.Should().Be(System.Net.HttpStatusCode.OK, "an older set does not replace the one in use");

        pool.ClientFor(s3, real with { SecretKey = "newer-and-wrong", Expiration = real.Expiration.AddMinutes(1) }).Should().BeSameAs(client);
        var act = () => client.ListObjectsV2Async(list);
        (await act.Should().ThrowAsync<Amazon.S3.AmazonS3Exception>()).Which.ErrorCode.Should().Be("SignatureDoesNotMatch", "the newer set signs from now on");
    }

    internal static async Task<(IHost Host, IServiceScope Request)> SignedInRequestAsync(LocalAwsStack stack, LocalUser user, Dictionary<string, string?> settings)
    {
        var tokens = await CognitoIdentityStandInTests.SignInAsync(stack, user);
        var host = InfrastructureHost.Build(settings, configure: services => services.AddScoped<ICurrentUserTokens>(_ => new SignedInUser(tokens)));
        return (host, host.Services.CreateScope());
    }

    /// <summary>The identity pool stand-in's request counters (<c>GET /_local/stats</c>).</summary>
    private async Task<(long GetId, long Credentials)> IdentityPoolCallsAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var json = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri($"{stack.Identity}/_local/stats")));
        long Count(string name) => json.RootElement.TryGetProperty(name, out var v) ? v.GetInt64() : 0;
        return (Count("GetId"), Count("GetCredentialsForIdentity"));
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
            token = page.NextToken;
        }
        while (token is not null);

        foreach (var name in names)
        {
            await Store.DeleteAsync(_folder, name, CancellationToken.None);
        }
    }

    /// <summary>The request's signed-in user, as the Web layer's cookie handler provides it.</summary>
    private sealed class SignedInUser(UserTokens tokens) : ICurrentUserTokens
    {
        public UserTokens GetTokens() => tokens;

        public ValueTask<UserTokens?> RefreshAsync(CancellationToken cancellationToken) => ValueTask.FromResult<UserTokens?>(null);

        public string? GetRefreshToken() => null;
    }
}
