using CleanCognito.TestSupport;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Objects;

/// <summary>Alice's rename in Chromium: real sign-in, the AppSync stand-in, the date in her own time zone.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class RenameBrowserTests(LocalAwsStack stack) : LiveAppTest(stack)
{
    public override async Task InitializeAsync()
    {
        await Stack.ResetAsync();
        await base.InitializeAsync();
    }

    [Fact]
    public async Task Alice_sees_the_date_in_her_time_zone_renames_the_object_and_the_new_name_survives_a_reload()
    {
        // Berlin is UTC+1 in January: the seeded 09:30 UTC must read 10:30 once local-time.js ran.
        await using var context = await Browser.NewContextAsync(new() { Locale = "de-DE", TimezoneId = "Europe/Berlin" });
        var page = await context.NewPageAsync();
        await SignInAsync(page, Stack.Alice, "/Objects/1234567890abcdef");

        // From here on only the app's pages: the stand-in's sign-in page is not ours to judge.
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add($"{message.Location}: {message.Text}");
            }
        };
        await page.ReloadAsync();

        (await page.TextContentAsync("#object-name")).Should().Be("My first object");
        var date = page.Locator("#object-date");
        (await date.GetAttributeAsync("datetime")).Should().Be("2026-01-15T09:30:00Z");
        await Assertions.Expect(date).ToContainTextAsync("10:30");
        (await date.TextContentAsync()).Should().NotContain("UTC");

        await page.FillAsync("#Input_Name", "Renamed in Chromium");
        await page.ClickAsync("#rename");
        await page.WaitForURLAsync($"{BaseUrl}/Objects/1234567890abcdef");
        (await page.TextContentAsync("#notice")).Should().Contain("saved");
        (await page.TextContentAsync("#object-name")).Should().Be("Renamed in Chromium");

        await page.ReloadAsync();
        (await page.TextContentAsync("#object-name")).Should().Be("Renamed in Chromium");
        (await page.Locator("#notice").CountAsync()).Should().Be(0);
        problems.Should().BeEmpty("no script or CSP errors on the page");
    }

    [Fact]
    public async Task A_name_with_a_newline_is_refused_beside_the_field()
    {
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignInAsync(page, Stack.Alice, "/Objects/1234567890abcdef");

        // An <input> cannot hold a newline; a tab is a control character a user can paste.
        await page.FillAsync("#Input_Name", "tab\there");
        var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#rename"), r => r.Request.Method == "POST");

        response.Status.Should().Be(400);
        (await page.TextContentAsync("#name-error")).Should().Contain("control characters");
        (await page.TextContentAsync("#object-name")).Should().Be("My first object");
    }

    [Fact]
    public async Task Bob_opens_alices_object_url_and_gets_the_404_page()
    {
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignInAsync(page, Stack.Bob, "/Objects");

        var response = await page.GotoAsync($"{BaseUrl}/Objects/1234567890abcdef");

        response!.Status.Should().Be(404);
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Not found");
        (await page.ContentAsync()).Should().NotContain("My first object");
    }

    [Fact]
    public async Task Bob_sees_no_rename_form_on_his_own_object_and_his_forged_rename_gets_the_403_page()
    {
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignInAsync(page, Stack.Bob, "/Objects");
        await page.Locator("#objects tbody a").First.ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/Objects/[A-Za-z0-9_-]+$"));
        var ownUrl = page.Url;
        var name = await page.TextContentAsync("#object-name");
        (await page.Locator("#rename-form").CountAsync()).Should().Be(0);

        // Forge the editors-only form in bob's own page, with the antiforgery token of his nav's
        // sign-out form, so only the group check can refuse it.
        var response = await page.RunAndWaitForResponseAsync(
            () => page.EvaluateAsync("""
                () => {
                  const token = document.querySelector('input[name=__RequestVerificationToken]').value;
                  const form = document.createElement('form');
                  form.method = 'post';
                  form.action = location.pathname + '/Rename';
                  for (const [name, value] of [['Input.Name', 'Renamed by bob'], ['__RequestVerificationToken', token]]) {
                    const input = document.createElement('input');
                    input.type = 'hidden'; input.name = name; input.value = value;
                    form.appendChild(input);
                  }
                  document.body.appendChild(form);
                  form.submit();
                }
                """),
            r => r.Request.Method == "POST");

        response.Status.Should().Be(403);
        await page.WaitForLoadStateAsync();
        (await page.TextContentAsync("h1")).Should().Be("Access denied");

        await page.GotoAsync(ownUrl);
        (await page.TextContentAsync("#object-name")).Should().Be(name, "the forged rename changed nothing");
    }
}
