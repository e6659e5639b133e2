using CleanCognito.Application.Common.Interfaces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace CleanCognito.Infrastructure.IntegrationTests.AppSync;

/// <summary>The gateway as the app composes it (Refit client, resilience, options), pointed at one endpoint.</summary>
internal sealed class AppSyncGateway : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly IServiceScope _scope;

    public AppSyncGateway(string endpoint, ICurrentUserTokens tokens, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>(settings ?? Defaults) { ["AppSync:Endpoint"] = endpoint };
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = "Local", ApplicationName = "tests" });
        services.AddLogging();
        services.AddSingleton(tokens);
        services.AddInfrastructureServices();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        _scope = _services.CreateScope();
    }

    /// <summary>
    /// Room for a cold first request (JIT, stub start-up) on a busy 2-core machine: at a load average
    /// near 30 the first attempt took over 4 s, was abandoned and retried, and the tests that count
    /// the stub's requests saw two. Only the slow-answer tests need short attempts (<see cref="FastTimeouts"/>).
    /// </summary>
    public static Dictionary<string, string?> Defaults => new()
    {
        ["AppSync:TimeoutSeconds"] = "30",
        ["AppSync:AttemptTimeoutSeconds"] = "15",
        ["AppSync:MaxQueryRetries"] = "2",
    };

    /// <summary>Small timeouts so the slow-answer tests finish in a second or two.</summary>
    public static Dictionary<string, string?> FastTimeouts => new()
    {
        ["AppSync:TimeoutSeconds"] = "2",
        ["AppSync:AttemptTimeoutSeconds"] = "0.5",
        ["AppSync:MaxQueryRetries"] = "2",
    };

    public IGraphQlGateway Gateway => _scope.ServiceProvider.GetRequiredService<IGraphQlGateway>();

    public void Dispose()
    {
        _scope.Dispose();
        _services.Dispose();
    }
}
