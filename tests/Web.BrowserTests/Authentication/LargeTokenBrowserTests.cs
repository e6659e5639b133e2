using System.Text.RegularExpressions;
using CleanCognito.TestSupport;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests.Authentication;

/// <summary>
/// carol's tokens carry 60 groups: each is larger than the ~4 KB a browser keeps in one cookie.
/// In Chromium the session survives sign-in and a refresh (the cookies are chunked and read back
/// whole), and sign-out leaves no chunk behind.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class LargeTokenBrowserTests(LocalAwsStack stack) : LiveAppTest(stack)
{
    /// <summary>Short-lived tokens (5 s), so the test sees a real refresh.</summary>
    protected override string ClientId => LocalAwsStack.ShortLivedClientId;

    [Fact]
    public async Task An_id_token_with_60_groups_survives_sign_in_refresh_and_sign_out_leaves_no_chunk()
    {
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var carol = Stack.User("carol");

        await SignInAsync(page, carol, "/Account/Profile");

        var groups = await page.TextContentAsync("#profile-groups");
        groups!.Split(", ").Should().HaveCount(60).And.Contain("cleancognito-example-department-team-60-members");
        var cookies = await context.CookiesAsync([BaseUrl]);
        cookies.Should().Contain(c => c.Name == "cognito_id_token" && Regex.IsMatch(c.Value, "^chunks-[2-8]$"), "the ID token is too large for one cookie");
        cookies.Should().Contain(c => c.Name == "cognito_id_tokenC1").And.Contain(c => c.Name == "cognito_id_tokenC2");
        cookies.Should().OnlyContain(c => c.Value.Length < 4096, "no single cookie may exceed what a browser keeps");
        var idToken = Reassemble(cookies, "cognito_id_token");
        new JsonWebToken(idToken).Claims.Count(c => c.Type == "cognito:groups").Should().Be(60);

        // Wait until the tokens have expired (their own exp), then load a page: the app refreshes.
        var expires = await Expiry.WaitPastAsync(idToken);
        var response = await page.GotoAsync($"{BaseUrl}/Account/Profile");
        response!.Status.Should().Be(200);
        page.Url.Should().Be($"{BaseUrl}/Account/Profile", "a refresh, not a new sign-in");
        (await page.TextContentAsync("#profile-groups"))!.Split(", ").Should().HaveCount(60);
        var refreshed = Reassemble(await context.CookiesAsync([BaseUrl]), "cognito_id_token");
        refreshed.Should().NotBe(idToken, "the refresh wrote new, chunked cookies");
        new JsonWebToken(refreshed).ValidTo.Should().BeAfter(expires);

        await page.ClickAsync("#sign-out");
        await page.WaitForURLAsync($"{BaseUrl}/Account/SignedOut");
        (await context.CookiesAsync([BaseUrl])).Select(c => c.Name).Should().NotContain(n => n.StartsWith("cognito_", StringComparison.Ordinal), "every chunk is cleared");
    }

    /// <summary>The value the app wrote as <c>name=chunks-N</c> plus <c>nameC1</c>…<c>nameCN</c>.</summary>
    private static string Reassemble(IReadOnlyList<BrowserContextCookiesResult> cookies, string name)
    {
        var head = cookies.Single(c => c.Name == name).Value;
        var count = int.Parse(head["chunks-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        return string.Concat(Enumerable.Range(1, count).Select(i => cookies.Single(c => c.Name == $"{name}C{i}").Value));
    }
}
