using System.Text.RegularExpressions;
using CleanCognito.TestSupport;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Authentication;

/// <summary>Chromium against the app on a real Kestrel port with the real sign-in against the stand-in hosted UI.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class SignInBrowserTests(LocalAwsStack stack) : LiveAppTest(stack)
{
    [Fact]
    public async Task Alice_signs_in_sees_her_profile_signs_out_and_cannot_go_back()
    {
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync($"{BaseUrl}/Account/Profile");
        await page.WaitForURLAsync(new Regex("/oauth2/authorize"));
        await page.FillAsync("input[name=username]", Stack.Alice.Username);
        await page.FillAsync("input[name=password]", Stack.Alice.Password);
        await page.ClickAsync("button[type=submit]");

        await page.WaitForURLAsync($"{BaseUrl}/Account/Profile");
        (await page.TextContentAsync("#profile-username")).Should().Be("alice");
        (await page.TextContentAsync("#profile-groups")).Should().Contain("editors");
        var cookies = await context.CookiesAsync([BaseUrl]);
        cookies.Select(c => c.Name).Should().Contain(["cognito_access_token", "cognito_id_token", "cognito_refresh_token"]);
        cookies.Where(c => c.Name.StartsWith("cognito_", StringComparison.Ordinal)).Should().OnlyContain(c => c.HttpOnly && c.Secure && c.SameSite == SameSiteAttribute.Lax);

        await page.ClickAsync("#sign-out");
        await page.WaitForURLAsync($"{BaseUrl}/Account/SignedOut");
        (await context.CookiesAsync([BaseUrl])).Select(c => c.Name).Should().NotContain(n => n.StartsWith("cognito_", StringComparison.Ordinal));

        await page.GotoAsync($"{BaseUrl}/Account/Profile");
        await page.WaitForURLAsync(new Regex("/oauth2/authorize"));
        (await page.Locator("input[name=password]").CountAsync()).Should().Be(1, "the hosted UI session ended too: the sign-in form is shown again");
        (await page.ContentAsync()).Should().NotContain("profile-username");
    }

    [Fact]
    public async Task A_wrong_password_shows_the_hosted_ui_message_and_signs_nobody_in()
    {
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync($"{BaseUrl}/Account/Login?returnUrl=%2FAccount%2FProfile");
        await page.FillAsync("input[name=username]", Stack.Bob.Username);
        await page.FillAsync("input[name=password]", "not-bobs-password");
        await page.ClickAsync("button[type=submit]");

        await page.WaitForSelectorAsync("text=Incorrect username or password.");
        (await context.CookiesAsync([BaseUrl])).Select(c => c.Name).Should().NotContain(n => n.StartsWith("cognito_", StringComparison.Ordinal));
    }
}
