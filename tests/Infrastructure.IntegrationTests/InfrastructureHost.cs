using CleanCognito.Application;
using CleanCognito.Infrastructure.Configuration;
using CleanCognito.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CleanCognito.Infrastructure.IntegrationTests;

/// <summary>The Application and Infrastructure registrations as the app makes them, with test settings and captured logs.</summary>
internal static class InfrastructureHost
{
    public static IHost Build(IReadOnlyDictionary<string, string?> settings, CapturingLoggerProvider? logs = null, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = HostEnvironmentExtensions.LocalEnvironmentName });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddProvider(logs ?? new CapturingLoggerProvider());
        builder.Services.AddApplicationServices().AddInfrastructureServices();
        configure?.Invoke(builder.Services);
        return builder.Build();
    }
}
