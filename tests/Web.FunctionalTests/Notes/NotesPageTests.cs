using System.Net;
using CleanCognito.TestSupport;
using CleanCognito.Web.FunctionalTests.Files;

namespace CleanCognito.Web.FunctionalTests.Notes;

/// <summary>/Notes end to end: the app, the identity pool stand-in and DynamoDB behind the stand-in's front, with alice's and bob's real tokens.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class NotesPageTests(LocalAwsStack stack) : IAsyncLifetime
{
    private AliceAndBob _apps = null!;

    public async Task InitializeAsync() => _apps = await AliceAndBob.StartAsync(stack);

    public async Task DisposeAsync() => await _apps.DisposeAsync();

    [Fact]
    public async Task Alice_writes_a_note_sees_it_first_and_deletes_it_after_confirming()
    {
        using var alice = new NotesClient(_apps.Alice.CreateHttpsClient());
        var text = $"Buy milk {Guid.NewGuid():N}\nand <bread> & “tea”";

        using (var create = await alice.CreateAsync(text))
        {
            create.StatusCode.Should().Be(HttpStatusCode.Redirect, await create.Content.ReadAsStringAsync());
        }

        var (status, html) = await alice.GetAsync("/Notes");
        status.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("Your note is saved.").And.NotContain("<bread>", "the text is encoded, never markup");
        WebUtility.HtmlDecode(html).Should().Contain(text, "line breaks and quotes come back as written");
        var id = (await alice.IdsAsync())[0];

        var (confirmStatus, confirm) = await alice.GetAsync($"/Notes/Delete/{id}");
        confirmStatus.Should().Be(HttpStatusCode.OK);
        WebUtility.HtmlDecode(confirm).Should().Contain(text).And.Contain("This cannot be undone");

        using (var delete = await alice.DeleteAsync(id))
        {
            delete.StatusCode.Should().Be(HttpStatusCode.Redirect);
            delete.Headers.Location!.ToString().Should().Be("/Notes");
        }

        (await alice.GetAsync("/Notes")).Html.Should().Contain("The note is deleted.").And.NotContain(id);
    }

    [Fact]
    public async Task A_note_posted_without_the_antiforgery_token_is_refused_and_not_stored()
    {
        using var alice = new NotesClient(_apps.Alice.CreateHttpsClient());
        var text = $"forged {Guid.NewGuid():N}";
        await alice.GetAsync("/Notes");

        using var create = await alice.CreateAsync(text, withToken: false);

        create.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await alice.GetAsync("/Notes")).Html.Should().NotContain(text);
    }

    [Fact]
    public async Task A_refused_note_is_a_400_that_keeps_the_typed_text_and_says_why()
    {
        using var alice = new NotesClient(_apps.Alice.CreateHttpsClient());
        var typed = $"almost right {Guid.NewGuid():N} \u0007 with a bell";

        using var create = await alice.CreateAsync(typed);
        var html = await create.Content.ReadAsStringAsync();

        create.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        html.Should().Contain("control characters").And.Contain(typed[..30]).And.Contain("id=\"notes-list\"", "the list still shows beside the message");
        (await alice.GetAsync("/Notes")).Html.Should().NotContain(typed[..30]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_note_is_a_400_with_a_message(string text)
    {
        using var alice = new NotesClient(_apps.Alice.CreateHttpsClient());

        using var create = await alice.CreateAsync(text);

        create.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await create.Content.ReadAsStringAsync()).Should().Contain("cannot be empty");
    }

    [Fact]
    public async Task A_note_of_ten_thousand_characters_is_a_400_not_a_500()
    {
        using var alice = new NotesClient(_apps.Alice.CreateHttpsClient());

        using var create = await alice.CreateAsync(new string('x', 10_000));

        create.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await create.Content.ReadAsStringAsync()).Should().Contain("at most 1000");
    }

    [Fact]
    public async Task Bobs_note_is_a_404_for_alice_to_see_or_delete_and_stays_bobs()
    {
        using var bob = new NotesClient(_apps.Bob.CreateHttpsClient());
        using var alice = new NotesClient(_apps.Alice.CreateHttpsClient());
        var text = $"bob only {Guid.NewGuid():N}";
        (await bob.CreateAsync(text)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var bobsId = (await bob.IdsAsync())[0];

        (await alice.GetAsync($"/Notes/Delete/{bobsId}")).Status.Should().Be(HttpStatusCode.NotFound);
        using (var delete = await alice.DeleteAsync(bobsId, tokenFrom: "/Notes"))
        {
            delete.StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await delete.Content.ReadAsStringAsync()).Should().Contain("no such note").And.NotContain("is deleted");
        }

        (await alice.GetAsync("/Notes")).Html.Should().NotContain(text);
        (await bob.GetAsync($"/Notes/Delete/{bobsId}")).Html.Should().Contain(text, "bob's note is untouched");
    }

    [Theory]
    [InlineData("/Notes/Delete/not-a-note-id")]
    [InlineData("/Notes/Delete/..%2F..%2Fetc")]
    [InlineData("/Notes/Delete")]
    public async Task A_malformed_note_id_is_a_400_with_a_message(string path)
    {
        using var alice = new NotesClient(_apps.Alice.CreateHttpsClient());

        var (status, html) = await alice.GetAsync(path);

        status.Should().Be(HttpStatusCode.BadRequest);
        html.Should().Contain("not the id of a note");
    }

    [Theory]
    [InlineData("?nextToken=made-up")]
    [InlineData("?nextToken=CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_made_up_page_link_is_a_400_that_says_so(string query)
    {
        using var alice = new NotesClient(_apps.Alice.CreateHttpsClient());

        var (status, html) = await alice.GetAsync($"/Notes{query}");

        status.Should().Be(HttpStatusCode.BadRequest);
        html.Should().Contain("That page link is not valid any more.");
    }

    [Fact]
    public async Task The_home_page_counts_the_notes_and_links_to_them()
    {
        using var alice = new NotesClient(_apps.Alice.CreateHttpsClient());
        var text = $"for the card {Guid.NewGuid():N}";
        (await alice.CreateAsync(text)).StatusCode.Should().Be(HttpStatusCode.Redirect);

        var (status, html) = await alice.GetAsync("/");

        status.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("id=\"overview-notes\"").And.Contain("id=\"notes-count\"").And.Contain(text).And.Contain("href=\"/Notes\"");
    }

    [Fact]
    public async Task A_stalled_DynamoDB_gives_the_503_page_with_Retry_After_and_the_home_page_still_answers()
    {
        var settings = new Dictionary<string, string?> { ["Notes:TimeoutSeconds"] = "2", ["Notes:AttemptTimeoutSeconds"] = "1", ["Storage:TimeoutSeconds"] = "2", ["Storage:AttemptTimeoutSeconds"] = "1" };
        await using var factory = await FilesAppFactory.ForAsync(stack, stack.Alice, settings);
        using var alice = new NotesClient(factory.CreateHttpsClient());
        (await alice.GetAsync("/Notes")).Status.Should().Be(HttpStatusCode.OK);

        await stack.PauseS3Async();
        try
        {
            using var response = await alice.Http.GetAsync(new Uri("/Notes", UriKind.Relative));
            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter.Should().NotBeNull();

            var (homeStatus, home) = await alice.GetAsync("/");
            homeStatus.Should().Be(HttpStatusCode.OK);
            home.Should().Contain("id=\"notes-unavailable\"");
        }
        finally
        {
            await stack.ResumeS3Async();
        }

        (await alice.GetAsync("/Notes")).Status.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>DynamoDB throttling past the SDK's own retries (the front's fail-next hook, in DynamoDB's shape) is the 503 page with Retry-After, not a 500.</summary>
    [Fact]
    public async Task Throttling_past_the_SDKs_retries_is_the_503_page_with_Retry_After()
    {
        using var alice = new NotesClient(_apps.Alice.CreateHttpsClient());
        (await alice.GetAsync("/Notes")).Status.Should().Be(HttpStatusCode.OK);
        using var hooks = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using (var fail = await hooks.PostAsync(new Uri($"{stack.S3}/_local/fail-next"), new StringContent("""{"target":"DynamoDB_20120810.Query","count":50}""", System.Text.Encoding.UTF8, "application/json")))
        {
            fail.EnsureSuccessStatusCode();
        }

        try
        {
            using var response = await alice.Http.GetAsync(new Uri("/Notes", UriKind.Relative));

            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter.Should().NotBeNull();
        }
        finally
        {
            (await hooks.PostAsync(new Uri($"{stack.S3}/_local/reset"), content: null)).Dispose();
        }

        (await alice.GetAsync("/Notes")).Status.Should().Be(HttpStatusCode.OK);
    }
}
