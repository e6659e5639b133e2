using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Accessibility;

/// <summary>
/// axe-core on the error pages (400, 403, 404, 500, 503) and on the home page with both its AWS
/// sections unavailable, which only the scripted API and unreachable upstreams can produce on demand.
/// </summary>
[Collection("Browser")]
public sealed class ScriptedPagesAccessibilityTests(BrowserFixture browser)
{
    [Theory]
    [InlineData(PageChecks.DesktopWidth)]
    [InlineData(PageChecks.PhoneWidth)]
    public async Task Error_pages_have_no_serious_accessibility_violations(int width)
    {
        await using var context = await browser.Browser.NewContextAsync(PageChecks.Context(width, browser.BaseUrl.ToString()));
        var page = await context.NewPageAsync();
        var problems = new List<string>();

        (await PageChecks.VisitAsync(page, "/Objects/rejected", width, problems)).Should().Be(400);
        (await PageChecks.VisitAsync(page, "/Objects/forbidden", width, problems)).Should().Be(403);
        (await PageChecks.VisitAsync(page, "/Objects/not-found", width, problems)).Should().Be(404);
        (await PageChecks.VisitAsync(page, "/Objects/crash", width, problems)).Should().Be(500);
        (await PageChecks.VisitAsync(page, "/Objects/upstream-down", width, problems)).Should().Be(503);
        (await PageChecks.VisitAsync(page, "/", width, problems)).Should().Be(200);

        problems.Should().BeEmpty();
        (await page.Locator("#objects-unavailable").CountAsync()).Should().Be(1, "the home page was checked in its degraded state");
    }

    [Fact]
    public async Task The_check_finds_serious_violations_when_a_page_has_them()
    {
        await using var context = await browser.Browser.NewContextAsync(PageChecks.Context(PageChecks.DesktopWidth, browser.BaseUrl.ToString()));
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        // A button with no name and an image with no text alternative: both critical in axe.
        await page.EvaluateAsync("() => { document.querySelector('main').insertAdjacentHTML('beforeend', '<button id=unnamed></button><img src=/favicon.ico>'); }");
        var violations = await Axe.RunAsync(page);

        violations.Where(v => v.IsSeriousOrCritical).Select(v => v.Id).Should().Contain(["button-name", "image-alt"]);
    }

    [Fact]
    public async Task The_skip_link_is_the_first_stop_is_visible_on_focus_and_moves_focus_to_the_content()
    {
        await using var context = await browser.Browser.NewContextAsync(PageChecks.Context(PageChecks.DesktopWidth, browser.BaseUrl.ToString()));
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        await page.Keyboard.PressAsync("Tab");
        var skip = page.Locator("#skip-link");
        await Assertions.Expect(skip).ToBeFocusedAsync();
        (await skip.BoundingBoxAsync())!.Y.Should().BeGreaterThanOrEqualTo(0, "the focused skip link is on screen");
        (await skip.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle")).Should().NotBe("none", "focus is visible");

        await page.Keyboard.PressAsync("Enter");
        (await page.EvaluateAsync<string>("() => document.activeElement.id")).Should().Be("main");

        // The next stop is inside the content, not the header again.
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<bool>("() => document.getElementById('main').contains(document.activeElement)")).Should().BeTrue();
    }

    [Fact]
    public async Task Links_and_buttons_show_a_focus_ring_from_the_keyboard()
    {
        await using var context = await browser.Browser.NewContextAsync(PageChecks.Context(PageChecks.DesktopWidth, browser.BaseUrl.ToString()));
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        // Tab past the skip link through the header's links to the sign-out button (a bounded walk:
        // the header gains a link with each feature, so stop at the first button, not after a count).
        var seen = new List<string>();
        for (var i = 0; i < 15 && !seen.Exists(s => s.StartsWith("BUTTON:", StringComparison.Ordinal)); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            seen.Add(await page.EvaluateAsync<string>("""
                () => { const e = document.activeElement, s = getComputedStyle(e);
                        return e.tagName + ':' + s.outlineStyle + ':' + parseFloat(s.outlineWidth); }
                """));
        }

        // Chromium's own ring is a thin "auto" outline that vanishes on the accent-coloured buttons: ours is 3px solid.
        seen.Should().OnlyContain(s => s.EndsWith(":solid:3", StringComparison.Ordinal));
        seen.Should().Contain(s => s.StartsWith("BUTTON:", StringComparison.Ordinal));
    }
}
