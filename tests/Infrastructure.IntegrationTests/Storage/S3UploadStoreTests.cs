using System.Net;
using System.Security.Cryptography;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Files;
using CleanCognito.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CleanCognito.Infrastructure.IntegrationTests.Storage;

/// <summary>
/// Direct uploads against the S3 front (SigV4, the template's IAM policy, upload ids bound to keys,
/// atomic If-None-Match on completion): the parts go through presigned URLs with a plain HttpClient,
/// as the browser sends them (no content type, no extra headers).
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class S3UploadStoreTests(LocalAwsStack stack) : IAsyncLifetime
{
    private const int MiB = 1024 * 1024;
    private readonly List<IDisposable> _disposables = [];
    private IServiceScope _bob = null!;
    private UserFolder _folder = null!;

    private IUploadStore Uploads => _bob.ServiceProvider.GetRequiredService<IUploadStore>();

    private IFileStore Files => _bob.ServiceProvider.GetRequiredService<IFileStore>();

    public async Task InitializeAsync()
    {
        _bob = await SignInAsync(stack.Bob);
        _folder = await _bob.ServiceProvider.GetRequiredService<ICurrentIdentity>().GetFolderAsync(CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            disposable.Dispose();
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_multipart_upload_through_presigned_part_urls_stores_the_same_bytes()
    {
        var name = $"direct-{Guid.NewGuid():N}.bin";
        var content = RandomNumberGenerator.GetBytes((11 * MiB) + 123);
        var uploadId = await Uploads.StartAsync(_folder, name, "application/octet-stream", CancellationToken.None);

        var receipts = await PutPartsAsync(name, uploadId, content, 5 * MiB);
        var listed = await Uploads.ListPartsAsync(_folder, name, uploadId, CancellationToken.None);
        listed.Select(p => (p.PartNumber, p.ETag)).Should().Equal(receipts.Select(r => (r.PartNumber, r.ETag)));
        listed.Select(p => p.Size).Should().Equal(5 * MiB, 5 * MiB, MiB + 123);

        await Uploads.CompleteAsync(_folder, name, uploadId, receipts, overwrite: false, CancellationToken.None);

        var link = await Files.GetDownloadLinkAsync(_folder, name, CancellationToken.None);
        using var http = new HttpClient();
        SHA256.HashData(await http.GetByteArrayAsync(link.Url)).Should().Equal(SHA256.HashData(content));
    }

    [Fact]
    public async Task Completing_over_an_existing_name_is_told_it_exists_and_replace_then_completes()
    {
        var name = $"exists-{Guid.NewGuid():N}.txt";
        var first = await Uploads.StartAsync(_folder, name, "text/plain", CancellationToken.None);
        await Uploads.CompleteAsync(_folder, name, first, await PutPartsAsync(name, first, "first"u8.ToArray(), 5 * MiB), overwrite: false, CancellationToken.None);

        var second = await Uploads.StartAsync(_folder, name, "text/plain", CancellationToken.None);
        var parts = await PutPartsAsync(name, second, "second"u8.ToArray(), 5 * MiB);
        var act = () => Uploads.CompleteAsync(_folder, name, second, parts, overwrite: false, CancellationToken.None);
        (await act.Should().ThrowAsync<FileAlreadyExistsException>()).Which.FileName.Should().Be(name);
        (await DownloadTextAsync(name)).Should().Be("first");

        // The refused completion left the upload in progress: Replace completes it.
        await Uploads.CompleteAsync(_folder, name, second, parts, overwrite: true, CancellationToken.None);
        (await DownloadTextAsync(name)).Should().Be("second");
    }

    [Fact]
    public async Task Two_completions_of_one_new_name_at_once_store_exactly_one()
    {
        for (var round = 0; round < 3; round++)
        {
            var name = $"race-{Guid.NewGuid():N}.txt";
            var texts = new[] { "first writer", "second writer" };
            var uploads = new List<(string Id, List<PartReceipt> Parts, string Text)>();
            foreach (var text in texts)
            {
                var id = await Uploads.StartAsync(_folder, name, "text/plain", CancellationToken.None);
                uploads.Add((id, await PutPartsAsync(name, id, System.Text.Encoding.UTF8.GetBytes(text), 5 * MiB), text));
            }

            var outcomes = await Task.WhenAll(uploads.Select(async u =>
            {
                try
                {
                    await Uploads.CompleteAsync(_folder, name, u.Id, u.Parts, overwrite: false, CancellationToken.None);
                    return (Stored: true, u.Text);
                }
                catch (FileAlreadyExistsException)
                {
                    return (Stored: false, u.Text);
                }
            }));

            outcomes.Count(o => o.Stored).Should().Be(1, $"round {round}: exactly one completion may win");
            (await DownloadTextAsync(name)).Should().Be(outcomes.Single(o => o.Stored).Text);
        }
    }

    [Fact]
    public async Task Abort_leaves_no_parts_behind()
    {
        var name = $"abort-{Guid.NewGuid():N}.bin";
        var uploadId = await Uploads.StartAsync(_folder, name, "application/octet-stream", CancellationToken.None);
        await PutPartsAsync(name, uploadId, RandomNumberGenerator.GetBytes(1000), 5 * MiB);
        (await Uploads.ListPartsAsync(_folder, name, uploadId, CancellationToken.None)).Should().ContainSingle();

        await Uploads.AbortAsync(_folder, name, uploadId, CancellationToken.None);

        var list = () => Uploads.ListPartsAsync(_folder, name, uploadId, CancellationToken.None);
        await list.Should().ThrowAsync<NotFoundException>();
        var again = () => Uploads.AbortAsync(_folder, name, uploadId, CancellationToken.None);
        await again.Should().ThrowAsync<NotFoundException>();
    }

    [Fact]
    public async Task Bobs_upload_id_is_not_found_in_alices_folder()
    {
        var name = $"bobs-{Guid.NewGuid():N}.bin";
        var bobsUpload = await Uploads.StartAsync(_folder, name, "application/octet-stream", CancellationToken.None);
        var bobsParts = await PutPartsAsync(name, bobsUpload, "bob's bytes"u8.ToArray(), 5 * MiB);

        var alice = await SignInAsync(stack.Alice);
        var aliceUploads = alice.ServiceProvider.GetRequiredService<IUploadStore>();
        var aliceFolder = await alice.ServiceProvider.GetRequiredService<ICurrentIdentity>().GetFolderAsync(CancellationToken.None);

        // Alice's handlers build the key in her folder: bob's upload id does not belong to it.
        var list = () => aliceUploads.ListPartsAsync(aliceFolder, name, bobsUpload, CancellationToken.None);
        var complete = () => aliceUploads.CompleteAsync(aliceFolder, name, bobsUpload, bobsParts, overwrite: true, CancellationToken.None);
        var abort = () => aliceUploads.AbortAsync(aliceFolder, name, bobsUpload, CancellationToken.None);
        await list.Should().ThrowAsync<NotFoundException>();
        await complete.Should().ThrowAsync<NotFoundException>();
        await abort.Should().ThrowAsync<NotFoundException>();

        // A part URL alice signs with bob's upload id is refused by S3 too.
        var url = (await aliceUploads.SignPartsAsync(aliceFolder, name, bobsUpload, 1, 1, CancellationToken.None)).Single();
        using var http = new HttpClient();
        using var put = await http.PutAsync(url.Url, new ByteArrayContent("alice"u8.ToArray()));
        put.StatusCode.Should().Be(HttpStatusCode.NotFound);

        // Bob's upload is untouched.
        (await Uploads.ListPartsAsync(_folder, name, bobsUpload, CancellationToken.None)).Should().ContainSingle();
        await Uploads.AbortAsync(_folder, name, bobsUpload, CancellationToken.None);
    }

    [Fact]
    public async Task Every_upload_call_on_a_folder_of_another_identity_is_refused_before_S3_is_called()
    {
        var elsewhere = UserFolder.For("us-east-1:00000000-0000-4000-8000-000000000000");
        var receipt = new PartReceipt(1, "\"0123456789abcdef0123456789abcdef\"");
        var calls = new Dictionary<string, Func<Task>>
        {
            ["start"] = () => Uploads.StartAsync(elsewhere, "x.bin", "application/octet-stream", CancellationToken.None),
            ["sign (offline: only this check stops it)"] = () => Uploads.SignPartsAsync(elsewhere, "x.bin", "an-upload-id", 1, 1, CancellationToken.None),
            ["list parts"] = () => Uploads.ListPartsAsync(elsewhere, "x.bin", "an-upload-id", CancellationToken.None),
            ["complete"] = () => Uploads.CompleteAsync(elsewhere, "x.bin", "an-upload-id", [receipt], overwrite: false, CancellationToken.None),
            ["abort"] = () => Uploads.AbortAsync(elsewhere, "x.bin", "an-upload-id", CancellationToken.None),
        };

        using var scope = new FluentAssertions.Execution.AssertionScope();
        foreach (var (name, call) in calls)
        {
            await call.Should().ThrowAsync<ForbiddenAccessException>(name);
        }
    }

    [Fact]
    public async Task Part_urls_never_outlive_credentials_that_expire_within_15_minutes()
    {
        await stack.NextCredentialsExpireAfterAsync(TimeSpan.FromMinutes(10));
        var request = await SignInAsync(stack.Bob);
        var credentials = await request.ServiceProvider.GetRequiredService<ICurrentIdentity>().GetCredentialsAsync(CancellationToken.None);
        var folder = UserFolder.For(credentials.IdentityId);
        var uploads = request.ServiceProvider.GetRequiredService<IUploadStore>();
        var name = $"short-{Guid.NewGuid():N}.bin";
        var uploadId = await uploads.StartAsync(folder, name, "application/octet-stream", CancellationToken.None);

        var urls = await uploads.SignPartsAsync(folder, name, uploadId, 1, 3, CancellationToken.None);

        urls.Select(u => u.PartNumber).Should().Equal(1, 2, 3);
        urls.Should().OnlyContain(u => u.ExpiresAt <= credentials.Expiration);
        urls.Select(u => int.Parse(System.Web.HttpUtility.ParseQueryString(u.Url.Query)["X-Amz-Expires"]!, System.Globalization.CultureInfo.InvariantCulture))
            .Should().OnlyContain(seconds => seconds <= 600);
        await uploads.AbortAsync(folder, name, uploadId, CancellationToken.None);
    }

    [Fact]
    public async Task A_completion_may_take_longer_than_the_bound_of_every_other_call()
    {
        // Every other call within 1 s; the completion within 20 s, as S3 may take a while to join a large file's parts.
        var bounded = await BoundedUploadsAsync(callSeconds: 1, ("Storage:CompleteTimeoutSeconds", "20"), ("Storage:CompleteSecondsPerPart", "10"));
        var name = $"slow-complete-{Guid.NewGuid():N}.bin";
        var content = RandomNumberGenerator.GetBytes((5 * MiB) + 7);
        var uploadId = await Uploads.StartAsync(_folder, name, "application/octet-stream", CancellationToken.None);
        var receipts = await PutPartsAsync(name, uploadId, content, 5 * MiB);

        await stack.PauseS3Async();
        try
        {
            var listing = () => bounded.ListPartsAsync(_folder, name, uploadId, CancellationToken.None);
            await listing.Should().ThrowAsync<UpstreamUnavailableException>("a stalled S3 still costs other calls their 1 s");
            var completing = bounded.CompleteAsync(_folder, name, uploadId, receipts, overwrite: false, CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(3));
            completing.IsCompleted.Should().BeFalse("the completion waits past the ordinary bound");
            await stack.ResumeS3Async();
            await completing;
        }
        finally
        {
            await stack.ResumeS3Async();
        }

        var link = await Files.GetDownloadLinkAsync(_folder, name, CancellationToken.None);
        using var http = new HttpClient();
        SHA256.HashData(await http.GetByteArrayAsync(link.Url)).Should().Equal(SHA256.HashData(content));
    }

    [Fact]
    public async Task A_small_files_completion_with_S3_stalled_gives_up_after_the_ordinary_bound_and_a_second_a_part()
    {
        // The defaults but for a 2 s call: one part's completion is bounded at 3 s, not CompleteTimeoutSeconds' 300.
        var bounded = await BoundedUploadsAsync(callSeconds: 2);
        var name = $"stalled-complete-{Guid.NewGuid():N}.bin";
        var content = RandomNumberGenerator.GetBytes(1024);
        var uploadId = await Uploads.StartAsync(_folder, name, "application/octet-stream", CancellationToken.None);
        var receipts = await PutPartsAsync(name, uploadId, content, 5 * MiB);

        await stack.PauseS3Async();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var completing = () => bounded.CompleteAsync(_folder, name, uploadId, receipts, overwrite: false, CancellationToken.None);
            await completing.Should().ThrowAsync<UpstreamUnavailableException>();
            clock.Stop();
        }
        finally
        {
            await stack.ResumeS3Async();
        }

        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(2.5), "the bound is the call's 2 s and 1 s for the one part")
            .And.BeLessThan(TimeSpan.FromSeconds(6), "not the 300 s a large file's completion may take");
    }

    /// <summary>Bob's upload store with every S3 call (and attempt) bounded at <paramref name="callSeconds"/>, and any other settings.</summary>
    private async Task<IUploadStore> BoundedUploadsAsync(int callSeconds, params (string Key, string Value)[] more)
    {
        var settings = stack.AppSettings();
        settings["Storage:TimeoutSeconds"] = settings["Storage:AttemptTimeoutSeconds"] = callSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        var (host, request) = await S3FileStoreTests.SignedInRequestAsync(stack, stack.Bob, settings);
        _disposables.Add(host);
        _disposables.Add(request);
        return request.ServiceProvider.GetRequiredService<IUploadStore>();
    }

    private async Task<IServiceScope> SignInAsync(LocalUser user)
    {
        var (host, request) = await S3FileStoreTests.SignedInRequestAsync(stack, user, stack.AppSettings());
        _disposables.Add(host);
        _disposables.Add(request);
        return request;
    }

    /// <summary>PUTs the parts as the browser does: the bytes alone, no content type; the ETag from the answer.</summary>
    private async Task<List<PartReceipt>> PutPartsAsync(string name, string uploadId, byte[] content, int partSize)
    {
        var count = (content.Length + partSize - 1) / partSize;
        var urls = await Uploads.SignPartsAsync(_folder, name, uploadId, 1, count, CancellationToken.None);
        using var http = new HttpClient();
        var receipts = new List<PartReceipt>();
        foreach (var url in urls)
        {
            var start = (url.PartNumber - 1) * partSize;
            using var body = new ByteArrayContent(content, start, Math.Min(partSize, content.Length - start));
            using var response = await http.PutAsync(url.Url, body);
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            receipts.Add(new PartReceipt(url.PartNumber, response.Headers.ETag!.Tag));
        }

        return receipts;
    }

    private async Task<string> DownloadTextAsync(string name)
    {
        var link = await Files.GetDownloadLinkAsync(_folder, name, CancellationToken.None);
        using var http = new HttpClient();
        return await http.GetStringAsync(link.Url);
    }
}
