using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary>The app with the real Cognito sign-in against the local stand-in, and helpers for its hooks.</summary>
internal static partial class LocalSignIn
{
    public static readonly string[] TokenCookieNames = ["cognito_access_token", "cognito_id_token", "cognito_refresh_token"];

    public static CleanCognitoAppFactory App(LocalAwsStack stack, string clientId = LocalAwsStack.PublicClientId, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var factory = new CleanCognitoAppFactory { UseCognitoSignIn = true }.WithSettings(stack.AppSettings(clientId));
        if (settings is not null)
        {
            factory.WithSettings(settings);
        }

        return factory;
    }

    public static async Task<int> StatAsync(LocalAwsStack stack, string counter)
    {
        using var http = new HttpClient();
        var stats = await http.GetFromJsonAsync<Dictionary<string, JsonElement>>(new Uri($"{stack.Idp}/_local/stats"));
        return stats!.TryGetValue(counter, out var value) ? value.GetInt32() : 0;
    }

    /// <summary>The stand-in forgets every code, session and refresh token.</summary>
    public static async Task ResetIdpAsync(LocalAwsStack stack)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri($"{stack.Idp}/_local/reset"), null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The stand-in answers the next <paramref name="count"/> requests to <paramref name="target"/> with <paramref name="status"/>.</summary>
    public static async Task FailNextAsync(LocalAwsStack stack, string target, int status, int count = 1)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(new Uri($"{stack.Idp}/_local/fail-next"), new { target, status, count });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Uses up pending token-endpoint failures with throwaway requests (a reset would also forget every grant).</summary>
    public static async Task DrainTokenFailuresAsync(LocalAwsStack stack)
    {
        using var http = new HttpClient();
        for (var i = 0; i < 20; i++)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["client_id"] = "nobody" });
            using var response = await http.PostAsync(new Uri($"{stack.Idp}/oauth2/token"), form);
            if ((int)response.StatusCode < 500)
            {
                return;
            }
        }
    }

    /// <summary>GET the sign-out page, then post its form with the antiforgery token (the client holds the antiforgery cookie).</summary>
    public static async Task<HttpResponseMessage> PostLogoutAsync(HttpClient client) =>
        await PostLogoutFormAsync(client, await LogoutFormAsync(client));

    /// <summary>The antiforgery token of the sign-out page's form.</summary>
    public static async Task<string> LogoutFormAsync(HttpClient client)
    {
        var html = await client.GetStringAsync(new Uri("/Account/Logout", UriKind.Relative));
        var token = AntiforgeryField().Match(html);
        token.Success.Should().BeTrue("the sign-out page has a form with an antiforgery token");
        return token.Groups[1].Value;
    }

    /// <summary>Posts the sign-out form with an antiforgery token from <see cref="LogoutFormAsync"/>.</summary>
    public static async Task<HttpResponseMessage> PostLogoutFormAsync(HttpClient client, string antiforgeryToken)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = antiforgeryToken });
        return await client.PostAsync(new Uri("/Account/Logout", UriKind.Relative), content);
    }

    /// <summary>GET <paramref name="path"/> on <paramref name="app"/> with only the cookies in <paramref name="cookieHeader"/> (a copy of a browser's).</summary>
    public static async Task<HttpResponseMessage> ReplayAsync(CleanCognitoAppFactory app, string cookieHeader, string path = "/Account/Profile")
    {
        using var bare = app.CreateHttpsClient(keepCookies: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookieHeader);
        return await bare.SendAsync(request);
    }

    /// <summary>The <c>Cookie</c> header that replays the token cookies of a sign-in.</summary>
    public static string CookieHeader(AppSignInResult signIn) =>
        string.Join("; ", TokenCookieNames.Select(name => $"{name}={signIn.Cookie(name)}"));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
