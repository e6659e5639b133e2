using System.Net;
using System.Text.RegularExpressions;
using CleanCognito.TestSupport;

namespace CleanCognito.Web.FunctionalTests.Files;

/// <summary>/Files as a browser without JavaScript gets it: plain form posts, one message per action, the list always there.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class FilesWithoutScriptTests(LocalAwsStack stack) : IAsyncLifetime
{
    private FilesAppFactory _alice = null!;

    public async Task InitializeAsync() => _alice = await FilesAppFactory.ForAsync(stack, stack.Alice);

    public async Task DisposeAsync() => await _alice.DisposeAsync();

    [Fact]
    public async Task A_name_clash_shows_one_message_no_stale_notice_and_the_list()
    {
        using var alice = new FilesClient(_alice.CreateHttpsClient());
        var name = $"plain-{Guid.NewGuid():N}.txt";
        using (var first = await alice.UploadFormAsync(name, "one"u8.ToArray()))
        {
            first.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        // The redirect's page carries the upload's notice, once.
        var afterUpload = await alice.ListHtmlAsync();
        Count(afterUpload, $"Uploaded {name}.").Should().Be(1);

        using var clash = await alice.UploadFormAsync(name, "two"u8.ToArray());
        var html = await clash.Content.ReadAsStringAsync();

        clash.StatusCode.Should().Be(HttpStatusCode.Conflict);
        Count(html, "already exists").Should().Be(1, "one message for one refused upload");
        html.Should().NotContain("Uploaded ", "the earlier upload's notice does not belong beside this error");
        html.Should().Contain($"<tr data-name=\"{name}\"", "the list stays visible beside the message");
        html.Should().MatchRegex("id=\"overwrite\"\\s+checked", "replacing is one tick away");

        (await alice.DeleteAsync(name)).Dispose();
    }

    [Fact]
    public async Task A_missing_file_shows_one_message_and_the_list()
    {
        using var alice = new FilesClient(_alice.CreateHttpsClient());
        var token = await alice.AntiforgeryTokenAsync();
        using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };

        using var response = await alice.Http.PostAsync(new Uri("/Files?handler=Upload", UriKind.Relative), form);
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        Count(html, "Choose a file to upload.").Should().Be(1);
        html.Should().Match(h => h.Contains("id=\"files-table\"") || h.Contains("id=\"files-empty\""), "the list (or its empty state) is shown, not a link to it");
    }

    private static int Count(string html, string text) => Regex.Count(html, Regex.Escape(WebUtility.HtmlEncode(text)));
}
