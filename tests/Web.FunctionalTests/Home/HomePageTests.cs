using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using CleanCognito.Web.FunctionalTests.Files;

namespace CleanCognito.Web.FunctionalTests.Home;

/// <summary>The signed-in home page: what the user has, read from the stand-ins with real tokens, and what it shows when AWS is down.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed partial class HomePageTests(LocalAwsStack stack)
{
    [Fact]
    public async Task Alice_sees_her_objects_files_and_groups_with_links_to_each()
    {
        await using var app = await FilesAppFactory.ForAsync(stack, stack.Alice);
        using var alice = new FilesClient(app.CreateHttpsClient());
        var name = $"home-{Guid.NewGuid():N}.txt";
        (await alice.UploadFormAsync(name, new byte[3000])).Dispose();

        var html = await GetOkAsync(alice.Http, "/");

        // Objects: as many as the objects page lists on one page of 100, and the latest links to its page.
        var objectsPage = await GetOkAsync(alice.Http, "/Objects?pageSize=100");
        var listed = ObjectRow().Count(objectsPage);
        listed.Should().BePositive();
        Text(html, "objects-count").Should().StartWith($"{listed} object");
        var latest = LatestObjectHref().Match(html);
        latest.Success.Should().BeTrue(html);
        using (var latestPage = await alice.Http.GetAsync(new Uri(WebUtility.HtmlDecode(latest.Groups[1].Value), UriKind.Relative)))
        {
            latestPage.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        // Files: the count and the space they use, from the same listing the files page shows.
        // Other tests may leave files of their own for a moment: a count of at least the one uploaded here.
        var filesCount = FilesCount().Match(Text(html, "files-count"));
        filesCount.Success.Should().BeTrue(Text(html, "files-count"));
        int.Parse(filesCount.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture).Should().BePositive();
        html.Should().Contain("href=\"/Objects\"").And.Contain("href=\"/Files\"").And.Contain("href=\"/Account/Profile\"");
        Text(html, "groups").Should().Be("editors");
        html.Should().NotContain("cannot be read right now").And.NotContain("cannot be listed right now");

        (await alice.DeleteAsync(name)).Dispose();
    }

    [Fact]
    public async Task Bob_is_told_he_has_no_group_and_what_that_means()
    {
        await using var app = await FilesAppFactory.ForAsync(stack, stack.Bob);
        using var client = app.CreateHttpsClient();

        var html = await GetOkAsync(client, "/");

        Text(html, "groups").Should().Contain("None").And.Contain("editors");
        Text(html, "greeting").Should().Contain("bob");
    }

    [Fact]
    public async Task With_AppSync_and_the_identity_pool_down_the_page_still_answers_and_says_which_part_is_missing()
    {
        // Nothing listens on the default upstream ports: every AWS call of the page fails.
        await using var app = new CleanCognitoAppFactory { User = TestUser.Alice };
        using var client = app.CreateHttpsClient();

        var html = await GetOkAsync(client, "/");

        html.Should().Contain("id=\"objects-unavailable\"").And.Contain("id=\"files-unavailable\"").And.Contain("id=\"notes-unavailable\"");
        Text(html, "groups").Should().Be("editors");
        html.Should().Contain("href=\"/Objects\"").And.Contain("href=\"/Files\"").And.Contain("href=\"/Notes\"");
    }

    [Fact]
    public async Task With_S3_stalled_the_page_renders_within_3_s_and_says_the_files_are_unavailable()
    {
        await using var app = await FilesAppFactory.ForAsync(stack, stack.Alice);
        using var client = app.CreateHttpsClient();
        // Warm: the credentials cached and the code paths compiled, so the timing is the stall's alone.
        (await GetOkAsync(client, "/")).Should().Contain("id=\"files-count\"");
        await stack.PauseS3Async();
        try
        {
            var started = Stopwatch.StartNew();
            var html = await GetOkAsync(client, "/");

            started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3), "each card has its own budget; the page does not wait for a stalled upstream");
            Console.WriteLine($"/ with a stalled S3 answered 200 after {started.Elapsed.TotalSeconds:F2} s");
            html.Should().Contain("id=\"files-unavailable\"");
            // The stand-in's pause holds DynamoDB too (one front for both): the notes card says so as well.
            html.Should().Contain("id=\"notes-unavailable\"");
            html.Should().NotContain("id=\"objects-unavailable\"");
            Text(html, "objects-count").Should().MatchRegex(@"^\d+\+? objects?");
        }
        finally
        {
            await stack.ResumeS3Async();
        }
    }

    [Fact]
    public async Task Signed_out_the_home_page_asks_nothing_of_AWS()
    {
        await using var app = new CleanCognitoAppFactory { User = null };
        using var client = app.CreateHttpsClient(followRedirects: true);

        var html = await GetOkAsync(client, "/");

        html.Should().Contain("id=\"sign-in-main\"").And.NotContain("id=\"overview-objects\"");
    }

    private static async Task<string> GetOkAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, html);
        return html;
    }

    /// <summary>The text of the element with <paramref name="id"/>, tags stripped and whitespace collapsed.</summary>
    private static string Text(string html, string id)
    {
        var match = new Regex($"id=\"{id}\"[^>]*>(.*?)</p>", RegexOptions.Singleline).Match(html);
        match.Success.Should().BeTrue($"the page has #{id}");
        return WebUtility.HtmlDecode(Whitespace().Replace(Tags().Replace(match.Groups[1].Value, string.Empty), " ").Trim());
    }

    [GeneratedRegex("<tr>\\s*<td[^>]*><a href=\"/Objects/")]
    private static partial Regex ObjectRow();

    [GeneratedRegex(@"^(\d+)\+? files?, (more than )?\d+(\.\d)? (B|KB|MB|GB) used$")]
    private static partial Regex FilesCount();

    [GeneratedRegex("<a (?=[^>]*id=\"latest-object\")[^>]*href=\"(/Objects/[^\"]+)\"")]
    private static partial Regex LatestObjectHref();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();
}
