using System.Net;
using CleanCognito.TestSupport;

namespace CleanCognito.Web.FunctionalTests.Objects;

/// <summary>The object pages end to end: real sign-in at the stand-in user pool, real AppSync stand-in.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class ObjectPagesTests(LocalAwsStack stack) : IAsyncLifetime, IDisposable
{
    private const string Seeded = "/Objects/1234567890abcdef";
    private readonly StandInApp _app = new(stack);

    public Task InitializeAsync() => stack.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Alice_sees_the_date_and_name_renames_the_object_and_sees_the_new_name_after_a_reload()
    {
        var alice = await _app.SignInAsync(stack.Alice);

        var page = await alice.GetStringAsync(new Uri(Seeded, UriKind.Relative));
        page.Should().Contain("My first object")
            .And.Contain("datetime=\"2026-01-15T09:30:00Z\"", "the date is rendered as UTC for local-time.js")
            .And.Contain("2026-01-15 09:30 UTC")
            .And.Contain("id=\"rename-form\"")
            .And.Contain($"action=\"{Seeded}/Rename\"", "the form posts to the editors-only Rename page")
            .And.Contain("<script src=\"/js/local-time", "the date is localised by the external script (CSP: no inline script)");

        using var post = await alice.PostAsync(new Uri($"{Seeded}/Rename", UriKind.Relative), Form(page, "Renamed by alice"));
        post.StatusCode.Should().Be(HttpStatusCode.Redirect, "after a rename the page redirects (PRG)");
        post.Headers.Location!.OriginalString.Should().Be(Seeded);

        var afterRedirect = await alice.GetStringAsync(new Uri(Seeded, UriKind.Relative));
        afterRedirect.Should().Contain("Renamed by alice").And.Contain("id=\"notice\"");
        var reloaded = await alice.GetStringAsync(new Uri(Seeded, UriKind.Relative));
        reloaded.Should().Contain("Renamed by alice").And.NotContain("id=\"notice\"", "the notice is shown once");
    }

    [Fact]
    public async Task A_refused_name_is_shown_beside_the_field_with_400_and_the_object_still_on_the_page()
    {
        var alice = await _app.SignInAsync(stack.Alice);
        var page = await alice.GetStringAsync(new Uri(Seeded, UriKind.Relative));

        using var post = await alice.PostAsync(new Uri($"{Seeded}/Rename", UriKind.Relative), Form(page, "line\nbreak"));

        post.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var html = await post.Content.ReadAsStringAsync();
        html.Should().Contain("id=\"name-error\"").And.Contain("without control characters").And.Contain("My first object");
    }

    [Fact]
    public async Task Bob_sees_no_edit_form_on_his_own_object_and_his_forged_post_gets_403()
    {
        var bob = await _app.SignInAsync(stack.Bob);
        var bobsObject = FirstObjectLink(await bob.GetStringAsync(new Uri("/Objects", UriKind.Relative)));

        var page = await bob.GetStringAsync(new Uri(bobsObject, UriKind.Relative));
        page.Should().Contain("id=\"object-name\"").And.NotContain("rename-form").And.Contain("id=\"delete-object\"");
        var name = ObjectName(page);

        // A valid antiforgery token of his own (from the sign-out confirmation): only the group check stops him.
        var tokenPage = await bob.GetStringAsync(new Uri("/Account/Logout", UriKind.Relative));
        using var post = await bob.PostAsync(new Uri($"{bobsObject}/Rename", UriKind.Relative), Form(tokenPage, "Renamed by bob"));
        post.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await post.Content.ReadAsStringAsync()).Should().Contain("Access denied");

        ObjectName(await bob.GetStringAsync(new Uri(bobsObject, UriKind.Relative))).Should().Be(name);
    }

    [Fact]
    public async Task The_rename_page_is_refused_by_the_editors_policy_to_bob_and_open_to_alice()
    {
        var bob = await _app.SignInAsync(stack.Bob);
        var bobsObject = FirstObjectLink(await bob.GetStringAsync(new Uri("/Objects", UriKind.Relative)));

        // [Authorize(Policy = Policies.Editors)]: bob is signed in but not in editors, so the 403 page, on his own object.
        using var refused = await bob.GetAsync(new Uri($"{bobsObject}/Rename", UriKind.Relative));
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("<h1>Access denied</h1>").And.NotContain("rename-form");

        var alice = await _app.SignInAsync(stack.Alice);
        using var admitted = await alice.GetAsync(new Uri($"{Seeded}/Rename", UriKind.Relative));
        admitted.StatusCode.Should().Be(HttpStatusCode.OK);
        (await admitted.Content.ReadAsStringAsync()).Should().Contain("id=\"rename-form\"").And.Contain("id=\"object-name\"").And.Contain("action=\"/Objects/1234567890abcdef/Rename\"");
    }

    [Fact]
    public async Task Bob_gets_the_404_page_for_alices_object_its_delete_page_and_a_forged_delete()
    {
        var bob = await _app.SignInAsync(stack.Bob);

        using var details = await bob.GetAsync(new Uri(Seeded, UriKind.Relative));
        using var confirm = await bob.GetAsync(new Uri($"{Seeded}/Delete", UriKind.Relative));
        var tokenPage = await bob.GetStringAsync(new Uri("/Account/Logout", UriKind.Relative));
        using var delete = await bob.PostAsync(new Uri($"{Seeded}/Delete", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = StandInApp.AntiforgeryToken(tokenPage),
        }));

        foreach (var response in new[] { details, confirm })
        {
            response.StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await response.Content.ReadAsStringAsync()).Should().Contain("Not found").And.NotContain("My first object");
        }

        // A form naming something that is not there stays on its page and says so, with 404 (as a
        // delete of a file not in the folder does) — never "Deleted".
        delete.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await delete.Content.ReadAsStringAsync()).Should().Contain("The object was not found.")
            .And.NotContain("My first object").And.NotContain("Deleted");

        var alice = await _app.SignInAsync(stack.Alice);
        (await alice.GetStringAsync(new Uri(Seeded, UriKind.Relative))).Should().Contain("My first object", "bob's delete changed nothing");
        (await bob.GetStringAsync(new Uri("/Objects", UriKind.Relative))).Should().NotContain("My first object", "bob's list holds only his own objects");
    }

    [Fact]
    public async Task Alice_creates_an_object_and_lands_on_it_with_a_notice()
    {
        var alice = await _app.SignInAsync(stack.Alice);
        var list = await alice.GetStringAsync(new Uri("/Objects", UriKind.Relative));
        list.Should().Contain("id=\"create-form\"");

        using var post = await alice.PostAsync(new Uri("/Objects?handler=Create", UriKind.Relative), CreateForm(list, "Made in a test"));

        post.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var location = post.Headers.Location!.OriginalString;
        location.Should().MatchRegex("^/Objects/[A-Za-z0-9_-]+$");
        var page = await alice.GetStringAsync(new Uri(location, UriKind.Relative));
        page.Should().Contain("<h1 id=\"object-name\">Made in a test</h1>").And.Contain("id=\"notice\"");
        var bob = await _app.SignInAsync(stack.Bob);
        (await bob.GetAsync(new Uri(location, UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("", "1 to 100 characters")]
    [InlineData("tab\there", "without control characters")]
    public async Task A_refused_new_name_is_shown_beside_the_create_field_with_400(string name, string message)
    {
        var alice = await _app.SignInAsync(stack.Alice);
        var list = await alice.GetStringAsync(new Uri("/Objects", UriKind.Relative));

        using var post = await alice.PostAsync(new Uri("/Objects?handler=Create", UriKind.Relative), CreateForm(list, name));

        post.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await post.Content.ReadAsStringAsync()).Should().MatchRegex($"id=\"create-error\"[^>]*>[^<]*{message}");
    }

    [Fact]
    public async Task A_create_without_the_antiforgery_token_is_refused_with_400()
    {
        var alice = await _app.SignInAsync(stack.Alice);

        using var post = await alice.PostAsync(new Uri("/Objects?handler=Create", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["NewObject.Name"] = "No token" }));

        post.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Alice_deletes_her_object_after_a_confirmation_step()
    {
        var alice = await _app.SignInAsync(stack.Alice);
        var details = await alice.GetStringAsync(new Uri(Seeded, UriKind.Relative));
        Link(details, "delete-object").Should().Be($"{Seeded}/Delete");

        var confirm = await alice.GetStringAsync(new Uri($"{Seeded}/Delete", UriKind.Relative));
        confirm.Should().Contain("<strong id=\"delete-name\">My first object</strong>").And.Contain("id=\"confirm-delete\"");
        (await alice.GetAsync(new Uri(Seeded, UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK, "asking deletes nothing");

        using var post = await alice.PostAsync(new Uri($"{Seeded}/Delete", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = StandInApp.AntiforgeryToken(confirm),
        }));

        post.StatusCode.Should().Be(HttpStatusCode.Redirect);
        post.Headers.Location!.OriginalString.Should().Be("/Objects");
        (await alice.GetStringAsync(new Uri("/Objects", UriKind.Relative))).Should().Contain("Deleted My first object.").And.NotContain(">My first object</a>");
        (await alice.GetAsync(new Uri(Seeded, UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_edited_page_link_says_it_is_no_longer_valid_with_400()
    {
        var alice = await _app.SignInAsync(stack.Alice);
        var next = Link(await alice.GetStringAsync(new Uri("/Objects", UriKind.Relative)), "next-page");
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("https://localhost"), next).Query)["nextToken"]!;
        var edited = string.Concat(token.AsSpan(0, 12), token[12] == 'A' ? "B" : "A", token.AsSpan(13));

        using var response = await alice.GetAsync(new Uri($"/Objects?nextToken={Uri.EscapeDataString(edited)}", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("This page link is no longer valid.");
    }

    [Fact]
    public async Task An_invalid_id_shows_the_rule_with_400()
    {
        var bob = await _app.SignInAsync(stack.Bob);

        using var response = await bob.GetAsync(new Uri("/Objects/not%20an%20id!", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("An object id is 1 to 64 letters, digits");
    }

    [Fact]
    public async Task An_unknown_id_shows_the_404_page()
    {
        var bob = await _app.SignInAsync(stack.Bob);

        using var response = await bob.GetAsync(new Uri("/Objects/0000000000000000", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Not found");
    }

    [Fact]
    public async Task Find_by_id_redirects_to_the_object_or_shows_the_rule_with_400()
    {
        var bob = await _app.SignInAsync(stack.Bob);

        using var found = await bob.GetAsync(new Uri("/Objects?handler=Find&id=1234567890abcdef", UriKind.Relative));
        using var refused = await bob.GetAsync(new Uri("/Objects?handler=Find&id=no%20way", UriKind.Relative));

        found.StatusCode.Should().Be(HttpStatusCode.Redirect);
        found.Headers.Location!.OriginalString.Should().Be(Seeded);
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("id=\"find-error\"").And.Contain("An object id is 1 to 64");
    }

    [Fact]
    public async Task The_list_pages_forward_and_back()
    {
        var alice = await _app.SignInAsync(stack.Alice);

        var first = await alice.GetStringAsync(new Uri("/Objects", UriKind.Relative));
        first.Should().Contain("My first object").And.Contain("id=\"next-page\"").And.NotContain("id=\"previous-page\"");

        var second = await alice.GetStringAsync(new Uri(Link(first, "next-page"), UriKind.Relative));
        second.Should().NotContain("My first object").And.Contain("id=\"previous-page\"").And.Contain("id=\"next-page\"");

        var third = await alice.GetStringAsync(new Uri(Link(second, "next-page"), UriKind.Relative));
        third.Should().NotContain("id=\"next-page\"", "alice's 25 objects make three pages of 10");

        var backToSecond = await alice.GetStringAsync(new Uri(Link(third, "previous-page"), UriKind.Relative));
        var backToFirst = await alice.GetStringAsync(new Uri(Link(backToSecond, "previous-page"), UriKind.Relative));
        backToFirst.Should().Contain("My first object").And.NotContain("id=\"previous-page\"");
    }

    [Fact]
    public async Task A_page_size_out_of_range_shows_the_rule_with_400()
    {
        var bob = await _app.SignInAsync(stack.Bob);

        using var response = await bob.GetAsync(new Uri("/Objects?pageSize=1000", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Show 1 to 100 objects per page.");
    }

    private static FormUrlEncodedContent Form(string page, string name) => new(new Dictionary<string, string>
    {
        ["__RequestVerificationToken"] = StandInApp.AntiforgeryToken(page),
        ["Input.Name"] = name,
    });

    private static FormUrlEncodedContent CreateForm(string page, string name) => new(new Dictionary<string, string>
    {
        ["__RequestVerificationToken"] = StandInApp.AntiforgeryToken(page),
        ["NewObject.Name"] = name,
    });

    private static string FirstObjectLink(string list)
    {
        var match = System.Text.RegularExpressions.Regex.Match(list, "<td class=\"name\"><a href=\"(/Objects/[^\"]+)\">");
        match.Success.Should().BeTrue("the list should link to at least one object");
        return match.Groups[1].Value;
    }

    private static string ObjectName(string page) =>
        WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "<h1 id=\"object-name\">([^<]*)</h1>").Groups[1].Value);

    private static string Link(string html, string id)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, $"<a href=\"([^\"]+)\" id=\"{id}\"");
        match.Success.Should().BeTrue($"the page should have a link #{id}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }
}
