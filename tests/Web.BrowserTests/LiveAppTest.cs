using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using CleanCognito.Web.BrowserTests.Journey;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests;

/// <summary>
/// The app on a real Kestrel port with the real Cognito sign-in against the stand-ins, and one
/// Chromium per test class. Each test makes its own browser context (its own cookies).
/// </summary>
public abstract class LiveAppTest(LocalAwsStack stack) : IAsyncLifetime
{
    private IPlaywright _playwright = null!;

    protected LocalAwsStack Stack { get; } = stack;

    protected CleanCognitoAppFactory App { get; private set; } = null!;

    protected IBrowser Browser { get; private set; } = null!;

    /// <summary>The app's address on 127.0.0.1 (the stand-in accepts any loopback callback port).</summary>
    protected string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The app client the app signs in with (a test class may pick the short-lived one).</summary>
    protected virtual string ClientId => LocalAwsStack.PublicClientId;

    public virtual async Task InitializeAsync()
    {
        App = new CleanCognitoAppFactory { UseCognitoSignIn = true }.WithSettings(Stack.AppSettings(ClientId));
        BaseUrl = App.StartKestrel();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = BrowserFixture.ChromiumArgs,
        });
    }

    public virtual async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>Opens <paramref name="path"/>, signs in through the stand-in's hosted UI form and waits to be back on it.</summary>
    protected Task SignInAsync(IPage page, LocalUser user, string path) =>
        HostedUiSignIn.SignInAsync(page, BaseUrl, user.Username, user.Password, path);
}
