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
internal sealed partial class StandInApp(LocalAwsStack stack, IReadOnlyDictionary<string, string?>? overrides = null) : IDisposable
{
    public CleanCognitoAppFactory Factory { get; } = Authentication.LocalSignIn.App(stack, settings: overrides);

    public async Task<HttpClient> SignInAsync(LocalUser user)
    {
        var app = Factory.CreateHttpsClient();
        await AppSignIn.SignInAsync(app, user.Username, user.Password, "/Objects");
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
