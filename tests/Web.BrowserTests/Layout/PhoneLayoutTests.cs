using CleanCognito.Domain.Objects;
using CleanCognito.TestSupport;
using CleanCognito.Web.BrowserTests.Accessibility;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Layout;

/// <summary>
/// At 375 px: no page scrolls sideways, long unbroken values (a file name, an email) stay inside
/// their box, and words with spaces wrap at their boundaries, never inside a word. /Objects keeps
/// "Open by id" apart from Create and says the id format before the first mistake.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class PhoneLayoutTests(LocalAwsStack stack) : LiveAppTest(stack)
{
    /// <summary>True when every word of the element's text lies on one line (one client rect per word).</summary>
    private const string NoWordIsBroken = """
        e => {
          const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const words = /\S+/g;
            for (let m = words.exec(node.textContent); m; m = words.exec(node.textContent)) {
              const range = document.createRange();
              range.setStart(node, m.index);
              range.setEnd(node, m.index + m[0].length);
              if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) return m[0];
            }
          }
          return '';
        }
        """;

    [Fact]
    public async Task Long_file_names_stay_inside_their_cell_and_names_with_spaces_wrap_between_words()
    {
        var page = await PhonePageAsync();
        await SignInAsync(page, Stack.Alice, "/Files");
        var unbroken = $"{Guid.NewGuid():N}-quarterly-report-for-the-board-meeting-final-version-2026.txt";
        var spaced = $"Minutes of the annual general meeting {Guid.NewGuid().ToString("N")[..6]}.txt";
        foreach (var name in new[] { unbroken, spaced })
        {
            await page.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "text/plain", Buffer = "hello"u8.ToArray() });
            await page.ClickAsync("#upload-button");
            await page.WaitForSelectorAsync($"tr[data-name=\"{name}\"]");
        }

        try
        {
            await ExpectNoSidewaysScrollingAsync(page);
            var longLink = page.Locator($"tr[data-name=\"{unbroken}\"] td.name a");
            await ExpectInsideAsync(longLink, page.Locator($"tr[data-name=\"{unbroken}\"] td.name"));
            (await longLink.BoundingBoxAsync())!.Height.Should().BeGreaterThan(30, "the long name wraps onto several lines instead of widening the table");
            (await page.Locator($"tr[data-name=\"{spaced}\"] td.name a").EvaluateAsync<string>(NoWordIsBroken))
                .Should().BeEmpty("a name with spaces wraps between its words");
            foreach (var date in await page.Locator("tr[data-name] time").AllAsync())
            {
                (await date.EvaluateAsync<string>(NoWordIsBroken)).Should().BeEmpty("a date wraps between its parts, if at all");
            }
        }
        finally
        {
            foreach (var name in new[] { unbroken, spaced })
            {
                await page.GotoAsync($"/Files/Delete?name={Uri.EscapeDataString(name)}");
                await page.ClickAsync("#confirm-delete");
                await page.WaitForURLAsync($"{BaseUrl}/Files");
            }
        }
    }

    [Fact]
    public async Task Profile_values_stay_inside_their_box_and_break_only_a_token_too_long_for_a_line()
    {
        var page = await PhonePageAsync();
        await SignInAsync(page, Stack.Alice, "/Account/Profile");
        await ExpectNoSidewaysScrollingAsync(page);
        (await page.Locator("#profile-groups").EvaluateAsync<string>(NoWordIsBroken)).Should().BeEmpty();

        // The stand-in's users have short emails; a long one (as a real pool may hold) is set in place.
        const string LongEmail = "firstname.middlename.lastname.department.team@subsidiary.example-corporation.com";
        await page.Locator("#profile-email").EvaluateAsync($"e => e.textContent = '{LongEmail}'");
        await page.Locator("#profile-groups").EvaluateAsync("e => e.textContent = 'editors, reviewers, administrators of the example corporation'");

        await ExpectNoSidewaysScrollingAsync(page);
        await ExpectInsideAsync(page.Locator("#profile-email"), page.Locator("main"));
        (await page.Locator("#profile-email").EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth")).Should().BeTrue("the email wraps inside its box");
        (await page.Locator("#profile-groups").EvaluateAsync<string>(NoWordIsBroken)).Should().BeEmpty("words wrap at their boundaries");
    }

    [Fact]
    public async Task Open_by_id_stands_apart_from_Create_and_shows_the_id_format_before_any_mistake()
    {
        var page = await PhonePageAsync();
        await SignInAsync(page, Stack.Alice, "/Objects");

        var create = (await page.Locator("#create").BoundingBoxAsync())!;
        var findLabel = (await page.Locator("label[for=find-id]").BoundingBoxAsync())!;
        (findLabel.Y - (create.Y + create.Height)).Should().BeGreaterThanOrEqualTo(24, "Open by id starts well below the Create button");
        var hint = page.Locator("#find-hint");
        await Assertions.Expect(hint).ToBeVisibleAsync();
        await Assertions.Expect(hint).ToHaveTextAsync(MyObjectId.Requirement);
        await Assertions.Expect(page.Locator("#find-id")).ToHaveAccessibleDescriptionAsync(MyObjectId.Requirement);
        await ExpectNoSidewaysScrollingAsync(page);
        foreach (var name in await page.Locator("#objects td.name a").AllAsync())
        {
            (await name.EvaluateAsync<string>(NoWordIsBroken)).Should().BeEmpty("object names wrap between words");
        }
    }

    private async Task<IPage> PhonePageAsync()
    {
        var context = await Browser.NewContextAsync(PageChecks.Context(PageChecks.PhoneWidth, BaseUrl));
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    private static async Task ExpectNoSidewaysScrollingAsync(IPage page) =>
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(PageChecks.PhoneWidth, "nothing scrolls sideways");

    private static async Task ExpectInsideAsync(ILocator inner, ILocator outer)
    {
        var a = (await inner.BoundingBoxAsync())!;
        var b = (await outer.BoundingBoxAsync())!;
        a.X.Should().BeGreaterThanOrEqualTo(b.X - 0.5f);
        (a.X + a.Width).Should().BeLessThanOrEqualTo(b.X + b.Width + 0.5f, "the value stays inside its box");
        (b.X + b.Width).Should().BeLessThanOrEqualTo(PageChecks.PhoneWidth, "the box stays inside the screen");
    }
}
