using System.Net;
using System.Text.RegularExpressions;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;

namespace CleanCognito.Web.FunctionalTests.Objects;

/// <summary>
/// The app with the real Cognito sign-in against the local stand-ins. <see cref="SignInAsync"/> walks
/// the whole hosted-UI round trip (app → stand-in's form → callback) and returns a client that holds
/// the session cookies, as a browser would.
/// </summary>
internal sealed partial class StandInApp : IDisposable
{
    public StandInApp(LocalAwsStack stack, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        Factory = new CleanCognitoAppFactory { UseCognitoSignIn = true };
        Factory.WithSettings(stack.AppSettings());
        if (overrides is not null)
        {
            Factory.WithSettings(overrides);
        }
    }

    public CleanCognitoAppFactory Factory { get; }

    public async Task<HttpClient> SignInAsync(LocalUser user)
    {
        // https: the session cookies are Secure, and .NET's CookieContainer sends those over https only.
        var app = Factory.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        using var login = await app.GetAsync(new Uri("/Account/Login?returnUrl=%2FObjects", UriKind.Relative));
        var authorize = login.Headers.Location ?? throw new InvalidOperationException($"/Account/Login answered {(int)login.StatusCode} without a redirect.");

        using var idp = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true });
        var html = await idp.GetStringAsync(authorize);
        var form = HostedUiClient.SignInForm.Parse(html);
        var fields = new Dictionary<string, string>(form.HiddenFields) { ["username"] = user.Username, ["password"] = user.Password };
        using var post = await idp.PostAsync(new Uri(authorize, form.Action), new FormUrlEncodedContent(fields));
        var callback = post.Headers.Location ?? throw new InvalidOperationException($"The sign-in form answered {(int)post.StatusCode} without a redirect.");

        using var signedIn = await app.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));
        if (signedIn.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"The sign-in callback answered {(int)signedIn.StatusCode}: {await signedIn.Content.ReadAsStringAsync()}");
        }

        return app;
    }

    /// <summary>The antiforgery token of the first form on the page (every post form carries one).</summary>
    public static string AntiforgeryToken(string html) =>
        TokenField().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("The page has no antiforgery token.");

    public void Dispose() => Factory.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
