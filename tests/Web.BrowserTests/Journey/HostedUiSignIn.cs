using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Journey;

/// <summary>The one sign-in driver of the browser tests: the app sends the browser to the hosted UI, which signs the user in.</summary>
public static class HostedUiSignIn
{
    /// <summary>
    /// Opens <paramref name="path"/> on <paramref name="baseUrl"/>, fills the hosted UI's form and waits
    /// to be back on it. <c>:visible</c> because Cognito's own hosted UI holds a second, hidden form.
    /// </summary>
    public static async Task SignInAsync(IPage page, string baseUrl, string username, string password, string path)
    {
        await page.GotoAsync($"{baseUrl}{path}");
        await page.WaitForURLAsync(new Regex("/oauth2/authorize|/login"));
        await page.FillAsync("input[name=username]:visible", username);
        await page.FillAsync("input[name=password]:visible", password);
        await page.ClickAsync("[type=submit]:visible");
        await page.WaitForURLAsync($"{baseUrl}{path}");
    }
}
