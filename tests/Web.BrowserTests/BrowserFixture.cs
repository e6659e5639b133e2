using CleanCognito.Application.Common.Interfaces;
using CleanCognito.TestSupport.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;

namespace CleanCognito.Web.BrowserTests;

/// <summary>
/// Debian's Chromium driven by Playwright against the app on a real Kestrel port. Missing Chromium
/// fails every browser test with the command that installs it: browser tests never skip silently.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Flags for a headless Chromium in a container: no sandbox (root), no GPU, no network chatter of its own.</summary>
    public static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private IPlaywright? _playwright;

    public CleanCognitoAppFactory App { get; } = new();

    /// <summary>The app's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}; the browser tests need it. Install it with: apt-get update && apt-get install -y chromium " +
                "(./test.sh does this), or set CHROMIUM_PATH. Never run `playwright install` here.");
        }

        App.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Scoped<IGraphQlGateway, ScriptedGateway>()));
        BaseUrl = new Uri(App.StartKestrel() + "/");

        _playwright = await Playwright.CreateAsync();
        // Launch (not a persistent context): Playwright gives each launch a fresh temporary user-data dir.
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 30_000,
        });
    }

    /// <summary>A new isolated browser context (own cookies) and page on the app.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl.ToString(), ViewportSize = new ViewportSize { Width = 1200, Height = 800 } });
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}

[CollectionDefinition("Browser")]
public sealed class BrowserTestsDefinition : ICollectionFixture<BrowserFixture>;
