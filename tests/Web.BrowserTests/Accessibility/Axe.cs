using System.Text.Json;
using CleanCognito.TestSupport;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Accessibility;

/// <summary>
/// Runs axe-core (the npm package in <c>tests/Web.BrowserTests/node_modules</c>, installed by
/// <c>npm ci</c> in test.sh; never fetched at test time) on the page as it is now.
/// </summary>
internal static class Axe
{
    /// <summary>
    /// A path on the app's own origin, answered by Playwright from the package: the page's CSP
    /// (script-src 'self') then allows the script, so the page is checked with its CSP on, as users get it.
    /// </summary>
    private const string ScriptPath = "/__axe-core/axe.min.js";

    private static readonly Lazy<byte[]> Script = new(Load);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The violations axe finds on the current page (every impact; filter with <see cref="AxeViolation.IsSeriousOrCritical"/>).</summary>
    public static async Task<IReadOnlyList<AxeViolation>> RunAsync(IPage page)
    {
        // Read here, not in the route handler: a missing package must fail this test with its message;
        // thrown inside the handler it left the script request unanswered and the test hanging.
        var script = Script.Value;
        var url = new Uri(new Uri(page.Url), ScriptPath).ToString();
        await page.RouteAsync(url, route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = "text/javascript",
            BodyBytes = script,
        }));
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Url = url });
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const results = await axe.run(document, { resultTypes: ['violations'] });
              return JSON.stringify(results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')),
              })));
            }
            """);
        return JsonSerializer.Deserialize<List<AxeViolation>>(json, JsonOptions)!;
    }

    /// <summary>The serious and critical violations on the page, as readable lines (empty: the page passes).</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page, string label) =>
        (await RunAsync(page)).Where(v => v.IsSeriousOrCritical).Select(v => $"{label}: {v}").ToList();

    private static byte[] Load()
    {
        var path = Path.Combine(RepositoryRoot.Path, "tests", "Web.BrowserTests", "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"axe-core is not installed at {path}. Run `npm ci --prefix tests/Web.BrowserTests` (./test.sh does this).");
        }

        return File.ReadAllBytes(path);
    }
}

/// <summary>One axe rule that failed, with the CSS selectors of the elements that failed it.</summary>
internal sealed record AxeViolation(string Id, string? Impact, string Help, IReadOnlyList<string> Nodes)
{
    public bool IsSeriousOrCritical => Impact is "serious" or "critical";

    public override string ToString() => $"{Id} ({Impact}) {Help} — {string.Join(" | ", Nodes.Take(5))}";
}
