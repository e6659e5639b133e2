using System.Net;
using CleanCognito.Infrastructure.Configuration;
using CleanCognito.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CleanCognito.Benchmarks;

/// <summary>
/// One app instance on a real Kestrel port (wrk needs a socket), in the <c>Local</c> environment with
/// the stand-ins' settings. <paramref name="overrideServices"/> null = the product as shipped.
/// </summary>
public sealed class AppInstance(string name, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? overrideServices)
    : WebApplicationFactory<Program>
{
    public string Name { get; } = name;

    /// <summary>The base address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public Uri Start()
    {
        // WebApplicationFactory looks for the app's content root beside the solution under the
        // assembly name; the source lives in src/Web. This is the variable it reads first.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_CLEANCOGNITO_WEB", Path.Combine(RepositoryRoot.Path, "src", "Web"));
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return BaseAddress;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(HostEnvironmentExtensions.LocalEnvironmentName);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        // A console line per request would be part of what is measured, in both variants alike;
        // warnings and errors still show.
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        if (overrideServices is not null)
        {
            builder.ConfigureServices(overrideServices);
        }
    }
}
