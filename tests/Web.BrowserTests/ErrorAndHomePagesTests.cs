using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests;

[Collection("Browser")]
public sealed class ErrorAndHomePagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_home_page_renders_with_its_title_and_stylesheet()
    {
        var page = await browser.NewPageAsync();

        var response = await page.GotoAsync("/");

        response!.Status.Should().Be(200);
        (await page.TitleAsync()).Should().Be("Home · CleanCognito");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("CleanCognito");
        // site.css applied: the header panel has its background colour (#f4f6fa).
        (await page.Locator(".site-header").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor")).Should().Be("rgb(244, 246, 250)");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_home_page_causes_no_CSP_violation_or_script_error()
    {
        var page = await browser.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add($"{message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));");

        await page.GotoAsync("/", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });

        problems.Should().BeEmpty();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_CSP_violation_would_be_seen()
    {
        // Proves the listener above can fail: an inline script on our page is blocked and reported.
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        var reported = page.WaitForConsoleMessageAsync(new()
        {
            Predicate = m => m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase),
            Timeout = 10_000,
        });

        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = true'; document.body.appendChild(s); }");

        (await reported).Text.Should().Contain("inline", "the browser names what it refused");
        (await page.EvaluateAsync<bool>("() => window.inlineRan === true")).Should().BeFalse("the CSP blocks inline script");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_unknown_url_shows_the_404_page_and_its_link_leads_home()
    {
        var page = await browser.NewPageAsync();

        var response = await page.GotoAsync("/no/such/page");

        response!.Status.Should().Be(404);
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Not found");
        (await page.TitleAsync()).Should().Be("Not found · CleanCognito");

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the home page" }).ClickAsync();
        await page.WaitForURLAsync(new Uri(browser.BaseUrl, "/").ToString());
        (await page.TitleAsync()).Should().Be("Home · CleanCognito");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_brand_link_in_the_header_navigates_home()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/Objects/1234567890abcdef");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Object 1234567890abcdef");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "CleanCognito" }).ClickAsync();

        await page.WaitForURLAsync(new Uri(browser.BaseUrl, "/").ToString());
        (await page.Locator("h1").InnerTextAsync()).Should().Be("CleanCognito");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_503_page_renders_with_its_status_when_the_API_is_down()
    {
        var page = await browser.NewPageAsync();

        var response = await page.GotoAsync("/Objects/upstream-down");

        response!.Status.Should().Be(503);
        (await response.HeaderValueAsync("retry-after")).Should().NotBeNullOrEmpty();
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Temporarily unavailable");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_500_page_renders_with_its_status_and_the_correlation_id()
    {
        var page = await browser.NewPageAsync();

        var response = await page.GotoAsync("/Objects/crash");

        response!.Status.Should().Be(500);
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Something went wrong");
        (await page.Locator("#correlation-id").InnerTextAsync()).Should().Be(await response.HeaderValueAsync("x-correlation-id"));
        (await page.ContentAsync()).Should().NotContain(TestSupport.Web.ScriptedGateway.SecretDetail);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_403_and_404_pages_render_with_their_status_for_application_errors()
    {
        var page = await browser.NewPageAsync();

        var forbidden = await page.GotoAsync("/Objects/forbidden");
        forbidden!.Status.Should().Be(403);
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Access denied");

        var notFound = await page.GotoAsync("/Objects/not-found");
        notFound!.Status.Should().Be(404);
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Not found");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_screenshot_of_the_error_page_shows_the_whole_error_page()
    {
        var page = await browser.NewPageAsync();
        var response = await page.GotoAsync("/Objects/crash");
        response!.Status.Should().Be(500);
        await Assertions.Expect(page.Locator("#correlation-id")).ToHaveTextAsync((await response.HeaderValueAsync("x-correlation-id"))!);

        await Screenshots.SaveAsync(
            page,
            "error-500.png",
            page.GetByRole(AriaRole.Heading, new() { Name = "Something went wrong", Level = 1 }),
            page.Locator("#correlation-id"),
            page.GetByRole(AriaRole.Link, new() { Name = "Try this page again" }),
            page.GetByRole(AriaRole.Link, new() { Name = "Your objects" }),
            page.GetByRole(AriaRole.Link, new() { Name = "Back to the home page" }));
        await page.Context.CloseAsync();
    }
}
