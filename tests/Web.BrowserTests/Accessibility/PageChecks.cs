using CleanCognito.TestSupport;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Accessibility;

/// <summary>What every page must pass at every width: axe's serious/critical rules, and no sideways scrolling on a phone.</summary>
internal static class PageChecks
{
    public const int PhoneWidth = 375;
    public const int DesktopWidth = 1200;

    public static BrowserNewContextOptions Context(int width, string? baseUrl = null) => new()
    {
        BaseURL = baseUrl,
        ViewportSize = new ViewportSize { Width = width, Height = width == PhoneWidth ? 740 : 800 },
        IsMobile = width == PhoneWidth,
        HasTouch = width == PhoneWidth,
    };

    /// <summary>Appends to <paramref name="problems"/> everything wrong with the page as it is now.</summary>
    public static async Task CheckAsync(IPage page, int width, string label, List<string> problems)
    {
        var violations = await Axe.RunAsync(page);
        Report(violations.Select(v => $"{label} @{width}px: {v}"));
        problems.AddRange(violations.Where(v => v.IsSeriousOrCritical).Select(v => $"{label} @{width}px: {v}"));
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        if (scrollWidth > width)
        {
            problems.Add($"{label} @{width}px: the page is {scrollWidth}px wide and scrolls sideways");
        }
    }

    /// <summary>Every violation of any impact, kept as a test artifact (TestResults/accessibility/axe-violations.txt) for review.</summary>
    public static string ReportPath { get; } = Path.Combine(RepositoryRoot.Path, "TestResults", "accessibility", "axe-violations.txt");

    private static readonly Lock ReportLock = new();

    private static void Report(IEnumerable<string> lines)
    {
        lock (ReportLock)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(ReportPath)!);
            File.AppendAllLines(ReportPath, lines);
        }
    }

    /// <summary>Opens <paramref name="path"/> and checks it; returns the HTTP status.</summary>
    public static async Task<int> VisitAsync(IPage page, string path, int width, List<string> problems)
    {
        var response = await page.GotoAsync(path);
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        await CheckAsync(page, width, path, problems);
        return response?.Status ?? 0;
    }
}
