using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CleanCognito.TestSupport;

namespace CleanCognito.Web.FunctionalTests.Files;

/// <summary>/Files end to end: the app, the identity pool stand-in and moto, with alice's and bob's real tokens.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class FilesPageTests(LocalAwsStack stack) : IAsyncLifetime
{
    private AliceAndBob _apps = null!;

    public async Task InitializeAsync() => _apps = await AliceAndBob.StartAsync(stack);

    public async Task DisposeAsync() => await _apps.DisposeAsync();

    [Fact]
    public async Task Alice_uploads_lists_downloads_and_deletes_a_file()
    {
        using var alice = new FilesClient(_apps.Alice.CreateHttpsClient());
        var name = $"notes {Guid.NewGuid():N}.txt";
        var content = RandomNumberGenerator.GetBytes(200_000);

        using (var upload = await alice.UploadFormAsync(name, content))
        {
            upload.StatusCode.Should().Be(HttpStatusCode.Redirect, await upload.Content.ReadAsStringAsync());
        }

        var html = await alice.ListHtmlAsync();
        html.Should().Contain(WebUtility.HtmlEncode(name)).And.Contain("195 KB").And.Contain("data-local");

        using (var download = await alice.DownloadAsync(name))
        {
            download.StatusCode.Should().Be(HttpStatusCode.Redirect);
            download.Headers.CacheControl!.NoStore.Should().BeTrue();
            // Through the S3 front, which checks the signature and applies the signed override as S3 does.
            using var s3 = new HttpClient();
            using var file = await s3.GetAsync(download.Headers.Location);
            file.StatusCode.Should().Be(HttpStatusCode.OK);
            (await file.Content.ReadAsByteArrayAsync()).Should().Equal(content);
            file.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
            file.Content.Headers.ContentDisposition.FileNameStar.Should().Be(name);
        }

        using (var delete = await alice.DeleteAsync(name))
        {
            delete.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        var after = await alice.ListHtmlAsync();
        after.Should().Contain($"Deleted {WebUtility.HtmlEncode(name)}").And.NotContain($"data-name=\"{WebUtility.HtmlEncode(name)}\"");
    }

    [Fact]
    public async Task The_script_upload_streams_the_raw_body()
    {
        using var alice = new FilesClient(_apps.Alice.CreateHttpsClient());
        var name = $"raw-{Guid.NewGuid():N}.txt";

        using var response = await alice.UploadStreamAsync(name, "streamed"u8.ToArray());

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await alice.ListHtmlAsync()).Should().Contain(name);
        await alice.DeleteAsync(name);
    }

    [Fact]
    public async Task Bob_never_sees_alices_files()
    {
        using var alice = new FilesClient(_apps.Alice.CreateHttpsClient());
        using var bob = new FilesClient(_apps.Bob.CreateHttpsClient());
        var name = $"alice-only-{Guid.NewGuid():N}.txt";
        (await alice.UploadFormAsync(name, "secret"u8.ToArray())).Dispose();

        (await bob.ListHtmlAsync()).Should().NotContain(name);
        using (var download = await bob.DownloadAsync(name))
        {
            download.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        (await alice.ListHtmlAsync()).Should().Contain(name);
        (await alice.DeleteAsync(name)).Dispose();
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("../../private/x.txt")]
    [InlineData("a/../../b.txt")]
    [InlineData("/rooted.txt")]
    [InlineData("back\\slash.txt")]
    public async Task A_name_that_leaves_the_folder_is_refused_and_nothing_changes(string name)
    {
        using var alice = new FilesClient(_apps.Alice.CreateHttpsClient());
        var before = await BucketKeysAsync();

        using (var form = await alice.UploadFormAsync(name, "x"u8.ToArray()))
        {
            form.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }

        using (var raw = await alice.UploadStreamAsync(name, "x"u8.ToArray()))
        {
            raw.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }

        using (var delete = await alice.DeleteAsync(name))
        {
            delete.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }

        (await BucketKeysAsync()).Should().Equal(before);
    }

    [Fact]
    public async Task A_name_aimed_at_bobs_prefix_is_refused_and_bobs_file_survives()
    {
        using var alice = new FilesClient(_apps.Alice.CreateHttpsClient());
        using var bob = new FilesClient(_apps.Bob.CreateHttpsClient());
        var name = $"bobs-{Guid.NewGuid():N}.txt";
        (await bob.UploadFormAsync(name, "bob's"u8.ToArray())).Dispose();
        var bobsKey = (await BucketKeysAsync()).Single(k => k.EndsWith(name, StringComparison.Ordinal));
        var before = await BucketKeysAsync();

        using (var overwrite = await alice.UploadFormAsync(bobsKey, "alice's"u8.ToArray(), overwrite: true))
        {
            overwrite.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }

        using (var delete = await alice.DeleteAsync(bobsKey))
        {
            delete.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }

        (await BucketKeysAsync()).Should().Equal(before);
        (await bob.DeleteAsync(name)).Dispose();
    }

    [Fact]
    public async Task A_name_clash_is_409_with_the_replace_option_and_replace_works()
    {
        using var alice = new FilesClient(_apps.Alice.CreateHttpsClient());
        var name = $"twice-{Guid.NewGuid():N}.txt";
        (await alice.UploadFormAsync(name, "one"u8.ToArray())).Dispose();

        using (var clash = await alice.UploadFormAsync(name, "two"u8.ToArray()))
        {
            clash.StatusCode.Should().Be(HttpStatusCode.Conflict);
            var html = await clash.Content.ReadAsStringAsync();
            html.Should().Contain("already exists").And.Contain("id=\"files-clash\"");
        }

        using (var replace = await alice.UploadFormAsync(name, "two"u8.ToArray(), overwrite: true))
        {
            replace.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        using (var download = await alice.DownloadAsync(name))
        {
            using var s3 = new HttpClient();
            (await s3.GetStringAsync(download.Headers.Location)).Should().Be("two");
        }

        (await alice.DeleteAsync(name)).Dispose();
    }

    [Fact]
    public async Task Two_uploads_of_one_name_at_once_store_one_and_tell_the_other_it_exists()
    {
        using var first = new FilesClient(_apps.Alice.CreateHttpsClient());
        using var second = new FilesClient(_apps.Alice.CreateHttpsClient());
        for (var round = 0; round < 8; round++)
        {
            var name = $"race-{round}-{Guid.NewGuid():N}.txt";
            var sendFirst = await first.PrepareUploadFormAsync(name, "first"u8.ToArray());
            var sendSecond = await second.PrepareUploadFormAsync(name, "second"u8.ToArray());

            var responses = await Task.WhenAll(sendFirst(), sendSecond());
            try
            {
                responses.Select(r => r.StatusCode).Should().BeEquivalentTo([HttpStatusCode.Redirect, HttpStatusCode.Conflict], $"round {round}: one stored, one told");
                var loser = responses.Single(r => r.StatusCode == HttpStatusCode.Conflict);
                (await loser.Content.ReadAsStringAsync()).Should().Contain("already exists");
                var winner = responses[0].StatusCode == HttpStatusCode.Redirect ? "first" : "second";
                using var download = await first.DownloadAsync(name);
                using var s3 = new HttpClient();
                (await s3.GetStringAsync(download.Headers.Location)).Should().Be(winner);
            }
            finally
            {
                foreach (var response in responses)
                {
                    response.Dispose();
                }
            }

            (await first.DeleteAsync(name)).Dispose();
        }
    }

    [Fact]
    public async Task Deleting_a_name_not_in_the_folder_is_404_with_a_message_and_never_Deleted()
    {
        using var alice = new FilesClient(_apps.Alice.CreateHttpsClient());
        using var bob = new FilesClient(_apps.Bob.CreateHttpsClient());
        var alicesName = $"alices-{Guid.NewGuid():N}.txt";
        (await alice.UploadFormAsync(alicesName, "mine"u8.ToArray())).Dispose();

        foreach (var (client, name) in new[] { (alice, $"never-uploaded-{Guid.NewGuid():N}.txt"), (bob, alicesName) })
        {
            using var delete = await client.DeleteAsync(name);
            delete.StatusCode.Should().Be(HttpStatusCode.NotFound);
            var html = await delete.Content.ReadAsStringAsync();
            html.Should().Contain($"There is no file named &quot;{name}&quot; in your folder.").And.NotContain("Deleted");
            (await client.ListHtmlAsync()).Should().NotContain("Deleted");
        }

        (await alice.ListHtmlAsync()).Should().Contain(alicesName);
        (await alice.DeleteAsync(alicesName)).Dispose();
    }

    [Fact]
    public async Task A_stalled_s3_gives_the_503_page_within_the_timeout_and_the_page_recovers()
    {
        var settings = new Dictionary<string, string?> { ["Storage:TimeoutSeconds"] = "3", ["Storage:AttemptTimeoutSeconds"] = "1" };
        await using var factory = await FilesAppFactory.ForAsync(stack, stack.Alice, settings);
        using var alice = new FilesClient(factory.CreateHttpsClient());
        await alice.ListHtmlAsync();

        await stack.PauseS3Async();
        var stalled = System.Diagnostics.Stopwatch.StartNew();
        HttpStatusCode status;
        string? retryAfter;
        try
        {
            using var response = await alice.Http.GetAsync(new Uri("/Files", UriKind.Relative));
            stalled.Stop();
            status = response.StatusCode;
            retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            await stack.ResumeS3Async();
        }

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        retryAfter.Should().NotBeNull();
        stalled.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(2.5)).And.BeLessThan(TimeSpan.FromSeconds(8), "Storage:TimeoutSeconds is 3");
        (await alice.ListHtmlAsync()).Should().Contain("id=\"list-heading\"");
    }

    /// <summary>Issue 23 item 4: with the default bounds (a 5 s attempt, a 10 s call) a stalled S3 costs /Files at most 10 s.</summary>
    [Fact]
    public async Task A_stalled_s3_gives_the_files_page_its_503_within_10_seconds_with_the_default_bounds()
    {
        await using var factory = await FilesAppFactory.ForAsync(stack, stack.Alice, new Dictionary<string, string?>());
        using var alice = new FilesClient(factory.CreateHttpsClient());
        await alice.ListHtmlAsync();

        await stack.PauseS3Async();
        var stalled = System.Diagnostics.Stopwatch.StartNew();
        HttpStatusCode status;
        try
        {
            using var response = await alice.Http.GetAsync(new Uri("/Files", UriKind.Relative));
            stalled.Stop();
            status = response.StatusCode;
            response.Headers.RetryAfter.Should().NotBeNull();
        }
        finally
        {
            await stack.ResumeS3Async();
        }

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        stalled.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(4.5), "the attempt bound is 5 s: the page waited for it")
            .And.BeLessThan(TimeSpan.FromSeconds(10), "Storage:TimeoutSeconds is 9 by default, leaving the page a second to answer within the 10 s the issue asks");
        Console.WriteLine($"/Files with a stalled S3 answered 503 after {stalled.Elapsed.TotalSeconds:F2} s");
    }

    [Fact]
    public async Task An_empty_file_is_refused_with_a_message()
    {
        using var alice = new FilesClient(_apps.Alice.CreateHttpsClient());

        using var response = await alice.UploadFormAsync("empty.txt", []);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("The file is empty");
    }

    [Fact]
    public async Task Uploads_over_the_limit_are_refused_with_413_before_or_after_reading()
    {
        await using var small = await FilesAppFactory.ForAsync(stack, stack.Alice, new Dictionary<string, string?> { ["Storage:MaxUploadBytes"] = "1000" });
        using var alice = new FilesClient(small.CreateHttpsClient());
        var before = await BucketKeysAsync();

        // Far over: refused from Content-Length alone, with the friendly error page.
        using (var huge = await alice.UploadFormAsync("huge.bin", new byte[200_000]))
        {
            huge.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
            (await huge.Content.ReadAsStringAsync()).Should().Contain("Too large");
        }

        // Just over: the form fits the request limit, the use case refuses the file.
        using (var justOver = await alice.UploadFormAsync("just-over.bin", new byte[1001]))
        {
            justOver.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
            (await justOver.Content.ReadAsStringAsync()).Should().Contain("The file is too large");
        }

        using (var raw = await alice.UploadStreamAsync("raw.bin", new byte[1001]))
        {
            raw.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        }

        (await BucketKeysAsync()).Should().Equal(before);
    }

    [Fact]
    public async Task The_list_pages_forward_and_back()
    {
        await using var paged = await FilesAppFactory.ForAsync(stack, stack.Bob, new Dictionary<string, string?> { ["Storage:PageSize"] = "1" });
        using var bob = new FilesClient(paged.CreateHttpsClient());
        var names = Enumerable.Range(1, 3).Select(n => $"p{n}-{Guid.NewGuid():N}.txt").ToArray();
        foreach (var name in names)
        {
            (await bob.UploadStreamAsync(name, "x"u8.ToArray())).Dispose();
        }

        var first = await bob.ListHtmlAsync();
        first.Should().Contain("id=\"next-page\"").And.NotContain("id=\"previous-page\"");
        var second = await bob.ListHtmlAsync(Link(first, "next-page"));
        second.Should().Contain("id=\"previous-page\"");
        var backToFirst = await bob.ListHtmlAsync(Link(second, "previous-page"));
        backToFirst.Should().Contain("id=\"next-page\"").And.NotContain("id=\"previous-page\"");

        foreach (var name in names)
        {
            (await bob.DeleteAsync(name)).Dispose();
        }
    }

    [Fact]
    public async Task Readiness_checks_the_identity_pool_and_s3()
    {
        using var client = _apps.Alice.CreateHttpsClient();
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        body.Should().Contain("cognito-identity").And.Contain("s3");
    }

    private static string Link(string html, string id)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, $"id=\"{id}\" href=\"/Files(\\?[^\"]*)?\"");
        match.Success.Should().BeTrue($"the page has a link #{id}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Every key in the bucket, read with the S3 front's set-up key (an operator's view).</summary>
    private Task<List<string>> BucketKeysAsync() => stack.AllKeysAsync();
}
