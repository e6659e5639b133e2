using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using CleanCognito.TestSupport;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests;

/// <summary>
/// Every page, as Chromium renders it under the app's Content-Security-Policy: signed out, as alice
/// (editor) and as bob, each error page, and the forms without JavaScript. Any console error, page
/// error or <c>securitypolicyviolation</c> event fails the test with the page that caused it.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed partial class CspBrowserTests(LocalAwsStack stack) : LiveAppTest(stack)
{
    /// <summary>Pages anyone can open, including every error page the app renders.</summary>
    private static readonly string[] SignedOutPages =
    [
        "/", "/Account/SignedOut", "/Account/SignInFailed",
        "/Errors/400", "/Errors/401", "/Errors/403", "/Errors/404", "/Errors/405", "/Errors/413",
        "/Errors/429", "/Errors/500", "/Errors/502", "/Errors/503", "/no-such-page",
    ];

    /// <summary>Pages of a signed-in user, besides their own object (bob sees his without the rename form).</summary>
    private static readonly string[] SignedInPages =
    [
        "/", "/Objects", "/Objects/ffffffffffffffff", "/Files", "/Files/Delete?name=csp-check.txt",
        "/Account/Profile", "/Account/Logout", "/Account/AccessDenied", "/Errors/404", "/Errors/503",
    ];

    /// <summary>Documents answered with a 4xx/5xx by design: error pages, access denied, sign-in failed, an unknown object.</summary>
    private readonly ConcurrentBag<string> _errorDocuments = ["/Errors/", "/no-such-page", "/Account/AccessDenied", "/Account/SignInFailed", "/Objects/ffffffffffffffff"];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Signed_out_pages_and_error_pages_break_no_policy(bool javaScript)
    {
        var (context, problems) = await NewWatchedContextAsync(javaScript);
        await using (context)
        {
            var page = await context.NewPageAsync();
            foreach (var path in SignedOutPages)
            {
                await VisitAsync(page, path, problems);
            }

            problems.Should().BeEmpty();
        }
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("bob")]
    public async Task Signed_in_pages_and_their_forms_break_no_policy_with_and_without_javascript(string username)
    {
        var user = Stack.User(username);
        var (context, problems) = await NewWatchedContextAsync(javaScript: true);
        await using (context)
        {
            var page = await context.NewPageAsync();
            await SignInAsync(page, user, "/Files");

            // The upload as the script does it (progress bar, XMLHttpRequest), then every page.
            await page.SetInputFilesAsync("#file", new FilePayload { Name = "csp-check.txt", MimeType = "text/plain", Buffer = "csp"u8.ToArray() });
            await page.CheckAsync("#overwrite");
            await page.ClickAsync("#upload-button");
            // The notice comes after the reload that shows the stored file. The table alone can be the
            // old page's: a navigation started then is aborted by the script's reload (ERR_ABORTED).
            await Assertions.Expect(page.Locator("#files-notice")).ToHaveTextAsync("Uploaded csp-check.txt.");

            // Objects belong to their owner: each user's own first object (another's is the 404 page).
            await page.GotoAsync($"{BaseUrl}/Objects");
            var ownObject = await page.Locator("#objects tbody a").First.GetAttributeAsync("href");
            ownObject.Should().StartWith("/Objects/");
            string[] signedInPages = [.. SignedInPages, ownObject!];
            foreach (var path in signedInPages)
            {
                await VisitAsync(page, path, problems);
            }

            // The same session without JavaScript: the pages and their plain form posts.
            var (noScript, noScriptProblems) = await NewWatchedContextAsync(javaScript: false);
            await using (noScript)
            {
                await noScript.AddCookiesAsync((await context.CookiesAsync([BaseUrl])).Select(c => new Cookie
                {
                    Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, Secure = c.Secure, HttpOnly = c.HttpOnly, SameSite = c.SameSite,
                }));
                var plain = await noScript.NewPageAsync();
                foreach (var path in signedInPages)
                {
                    await VisitAsync(plain, path, noScriptProblems);
                }

                await VisitAsync(plain, "/Files", noScriptProblems);
                await plain.SetInputFilesAsync("#file", new FilePayload { Name = "csp-check.txt", MimeType = "text/plain", Buffer = "csp again"u8.ToArray() });
                await plain.CheckAsync("#overwrite");
                await plain.ClickAsync("#upload-button");
                await plain.WaitForLoadStateAsync();
                Record(noScriptProblems, "/Files (upload without JavaScript)", await plain.ContentAsync());

                await VisitAsync(plain, "/Files/Delete?name=csp-check.txt", noScriptProblems);
                await plain.ClickAsync("#confirm-delete");
                await plain.WaitForLoadStateAsync();

                await VisitAsync(plain, ownObject!, noScriptProblems);
                if (await plain.QuerySelectorAsync("#rename-form") is not null)
                {
                    // An invalid name: the server answers 400 with its validation messages, no script needed.
                    _errorDocuments.Add(ownObject!);
                    await plain.FillAsync("#Input_Name", string.Empty);
                    await plain.ClickAsync("#rename");
                    await plain.WaitForLoadStateAsync();
                    Record(noScriptProblems, $"{ownObject} (rename without JavaScript)", await plain.ContentAsync());
                }

                noScriptProblems.Should().BeEmpty();
            }

            problems.Should().BeEmpty();
        }
    }

    /// <summary>A browser context whose console errors, page errors and CSP violations land in the returned bag.</summary>
    private async Task<(IBrowserContext Context, ConcurrentBag<string> Problems)> NewWatchedContextAsync(bool javaScript)
    {
        var problems = new ConcurrentBag<string>();
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = javaScript });
        context.SetDefaultTimeout(15_000);
        await context.ExposeFunctionAsync("__reportCspViolation", (string report) => problems.Add($"CSP violation: {report}"));
        await context.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => window.__reportCspViolation(" +
            "location.pathname + ': ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' (' + (e.sourceFile || '') + ':' + e.lineNumber + ')'));");
        context.Console += (_, message) =>
        {
            // Chromium reports a refused inline style or script, and a failed load, as console errors
            // (also with JavaScript off); a navigation to an error page answers 4xx/5xx on purpose.
            if (message.Type == "error" && IsAppPage(message.Page?.Url) && !IsExpectedErrorStatus(message))
            {
                problems.Add($"console error on {Path(message.Page?.Url)}: {message.Text}");
            }
        };
        context.Page += (_, page) => page.PageError += (_, error) => problems.Add($"page error on {Path(page.Url)}: {error}");
        return (context, problems);
    }

    private async Task VisitAsync(IPage page, string path, ConcurrentBag<string> problems)
    {
        var response = await page.GotoAsync($"{BaseUrl}{path}");
        response.Should().NotBeNull(path);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Record(problems, path, await page.ContentAsync());
    }

    /// <summary>A stack trace or a raw exception in the page is a problem too, not only a policy violation.</summary>
    private static void Record(ConcurrentBag<string> problems, string where, string html)
    {
        if (html.Contains("   at ", StringComparison.Ordinal) || html.Contains("Exception:", StringComparison.Ordinal))
        {
            problems.Add($"{where} shows an exception");
        }
    }

    /// <summary>
    /// The browser's own line for a document the app answers with an error status on purpose
    /// ("the server responded with a status of 404"); its location is that document's URL, while a
    /// failed stylesheet or script would name its own URL and still fail the test.
    /// </summary>
    private bool IsExpectedErrorStatus(IConsoleMessage message) =>
        ErrorStatus().IsMatch(message.Text)
        && _errorDocuments.Any(path => message.Location.StartsWith($"{BaseUrl}{path}", StringComparison.Ordinal));

    /// <summary>The app's own pages (the stand-in's sign-in form is not the app's to fix).</summary>
    private bool IsAppPage(string? url) => url is null || url.StartsWith(BaseUrl, StringComparison.Ordinal);

    private string Path(string? url) => url is null ? "?" : url.Replace(BaseUrl, string.Empty, StringComparison.Ordinal);

    [GeneratedRegex(@"^Failed to load resource: the server responded with a status of \d{3}")]
    private static partial Regex ErrorStatus();
}
