using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanCognito.TestSupport.Web;

/// <summary>
/// The app in the <c>Local</c> environment with in-memory settings, captured logs and a test sign-in
/// scheme as the default (so tests keep working when the real Cognito sign-in is registered).
/// Configure before the first client is created: <see cref="Settings"/>, <see cref="ConfigureTestServices"/>, <see cref="User"/>.
/// </summary>
public class CleanCognitoAppFactory : WebApplicationFactory<Program>
{
    private readonly List<Action<IServiceCollection>> _serviceOverrides = [];

    /// <summary>The app's settings; defaults point every upstream at a port where nothing listens.</summary>
    public Dictionary<string, string?> Settings { get; } = UnreachableUpstreams();

    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>
    /// The exception that stopped the app at start-up (options validation), if any. Program.cs turns
    /// it into exit code 1 with one line per problem, so the test host itself only sees a disposed host.
    /// </summary>
    public Exception? StartupFailure { get; private set; }

    public string Environment { get; set; } = HostEnvironmentExtensions.LocalEnvironmentName;

    /// <summary>The user the test scheme signs in (null: signed out).</summary>
    public TestUser? User { get; set; } = TestUser.Alice;

    /// <summary>
    /// True: leave the app's real Cognito cookie scheme as the default (no test scheme installed),
    /// for tests of the sign-in itself. <see cref="User"/> is then ignored.
    /// </summary>
    public bool UseCognitoSignIn { get; set; }

    /// <summary>
    /// A browser-like client on <c>https://localhost</c>: .NET's CookieContainer sends <c>Secure</c>
    /// cookies (all of the app's) over https only. Redirects are not followed so tests see them.
    /// </summary>
    /// <param name="keepCookies">False: the client sends only the cookies a test sets by hand.</param>
    public HttpClient CreateHttpsClient(bool keepCookies = true, bool followRedirects = false) =>
        CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = followRedirects, HandleCookies = keepCookies });

    /// <summary>
    /// Starts the app on a real Kestrel port (for a real browser) and returns its address on 127.0.0.1,
    /// without a trailing slash: the stand-in accepts any loopback callback port.
    /// </summary>
    public string StartKestrel()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => a.StartsWith("http://", StringComparison.Ordinal));
        foreach (var host in (string[])["[::]", "[::1]", "localhost"])
        {
            address = address.Replace(host, "127.0.0.1", StringComparison.Ordinal);
        }

        return address.TrimEnd('/');
    }

    public CleanCognitoAppFactory ConfigureTestServices(Action<IServiceCollection> configure)
    {
        _serviceOverrides.Add(configure);
        return this;
    }

    /// <summary>Every log category at Trace, whatever appsettings says: what the most verbose setting would write.</summary>
    public CleanCognitoAppFactory LogEverything() =>
        ConfigureTestServices(services => services.PostConfigure<LoggerFilterOptions>(options =>
        {
            options.Rules.Clear();
            options.MinLevel = LogLevel.Trace;
        }));

    public CleanCognitoAppFactory WithSettings(IReadOnlyDictionary<string, string?> settings)
    {
        foreach (var (key, value) in settings)
        {
            Settings[key] = value;
        }

        return this;
    }

    /// <summary>Settings that pass validation and point each upstream at a free loopback port nothing listens on.</summary>
    public static Dictionary<string, string?> UnreachableUpstreams()
    {
        var ports = FreePort.Pick(4);
        return new Dictionary<string, string?>
        {
            ["Cognito:Region"] = "us-east-1",
            ["Cognito:UserPoolId"] = "us-east-1_CcTest001",
            ["Cognito:ClientId"] = "cleancognito-local",
            ["Cognito:Domain"] = $"http://127.0.0.1:{ports[0]}",
            ["Cognito:MetadataAddress"] = $"http://127.0.0.1:{ports[0]}/us-east-1_CcTest001/.well-known/openid-configuration",
            ["AppSync:Endpoint"] = $"http://127.0.0.1:{ports[1]}/graphql",
            ["IdentityPool:IdentityPoolId"] = "us-east-1:00000000-0000-4000-8000-00000000c0de",
            ["IdentityPool:AccountId"] = "000000000000",
            ["IdentityPool:ServiceUrl"] = $"http://127.0.0.1:{ports[2]}",
            ["Storage:BucketName"] = "cleancognito-test-files",
            ["Storage:Region"] = "us-east-1",
            ["Storage:ServiceUrl"] = $"http://127.0.0.1:{ports[3]}",
            ["Notes:TableName"] = "cleancognito-test-notes",
            ["Notes:ServiceUrl"] = $"http://127.0.0.1:{ports[3]}",
        };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);

        // Logs go to the capture only (added below): console output of every in-memory app would bury the test results.
        builder.ConfigureLogging(logging => logging.ClearProviders());

        // UseSetting reaches the configuration before Program.cs reads it (AddWebServices reads
        // Cognito:Domain while registering services); AddInMemoryCollection here would come too late.
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureServices(services =>
        {
            if (UseCognitoSignIn)
            {
                foreach (var configure in _serviceOverrides)
                {
                    configure(services);
                }

                return;
            }

            services.AddAuthentication()
                .AddScheme<TestUserOptions, TestAuthHandler>(TestAuthHandler.SchemeName, options => options.User = User);
            services.PostConfigure<AuthenticationOptions>(options =>
            {
                options.DefaultAuthenticateScheme = TestAuthHandler.SchemeName;
                options.DefaultChallengeScheme = TestAuthHandler.SchemeName;
                options.DefaultForbidScheme = TestAuthHandler.SchemeName;
            });
            if (User is { } user)
            {
                services.Replace(ServiceDescriptor.Scoped<ICurrentUserTokens>(_ => new TestUserTokens(user)));
            }

            foreach (var configure in _serviceOverrides)
            {
                configure(services);
            }

            RecordStartupFailures(services);
        });
    }

    /// <summary>Wraps the host's start-up validation (ValidateOnStart) so its exception is kept for the test.</summary>
    private void RecordStartupFailures(IServiceCollection services)
    {
        var descriptor = services.LastOrDefault(d => d.ServiceType == typeof(IStartupValidator));
        if (descriptor?.ImplementationType is not { } implementation)
        {
            return;
        }

        services.Remove(descriptor);
        services.Add(ServiceDescriptor.Describe(
            typeof(IStartupValidator),
            sp => new RecordingStartupValidator((IStartupValidator)ActivatorUtilities.CreateInstance(sp, implementation), e => StartupFailure = e),
            descriptor.Lifetime));
    }

    private sealed class RecordingStartupValidator(IStartupValidator inner, Action<Exception> record) : IStartupValidator
    {
        public void Validate()
        {
            try
            {
                inner.Validate();
            }
            catch (Exception ex)
            {
                record(ex);
                throw;
            }
        }
    }
}
