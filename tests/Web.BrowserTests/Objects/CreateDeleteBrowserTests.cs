using CleanCognito.TestSupport;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Objects;

/// <summary>Bob's whole life cycle of an object in Chromium: create on the list, open, delete after confirming.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class CreateDeleteBrowserTests(LocalAwsStack stack) : LiveAppTest(stack)
{
    public override async Task InitializeAsync()
    {
        await Stack.ResetAsync();
        await base.InitializeAsync();
    }

    [Fact]
    public async Task Bob_creates_an_object_sees_it_in_his_list_and_deletes_it_after_confirming()
    {
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignInAsync(page, Stack.Bob, "/Objects");
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add($"{message.Location}: {message.Text}");
            }
        };
        await page.ReloadAsync();
        (await page.Locator("#objects tbody tr").CountAsync()).Should().Be(3, "bob owns three seeded objects");

        await page.FillAsync("#NewObject_Name", "Bob's plan");
        await page.ClickAsync("#create");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/Objects/[A-Za-z0-9_-]+$"));
        (await page.TextContentAsync("#object-name")).Should().Be("Bob's plan");
        (await page.TextContentAsync("#notice")).Should().Contain("created");
        var objectUrl = page.Url;

        await page.GotoAsync($"{BaseUrl}/Objects");
        await Assertions.Expect(page.Locator("#objects")).ToContainTextAsync("Bob's plan");

        await page.GotoAsync(objectUrl);
        await page.ClickAsync("#delete-object");
        (await page.TextContentAsync("#delete-name")).Should().Be("Bob's plan");
        await page.ClickAsync("#confirm-delete");
        await page.WaitForURLAsync($"{BaseUrl}/Objects");
        (await page.TextContentAsync("#objects-notice")).Should().Be("Deleted Bob's plan.");
        await Assertions.Expect(page.Locator("#objects")).Not.ToContainTextAsync("Bob's plan");
        problems.Should().BeEmpty("no script or CSP errors on the pages");

        var gone = await page.GotoAsync(objectUrl);
        gone!.Status.Should().Be(404);
    }
}
