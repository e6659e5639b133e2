using CleanCognito.Application.Common.Credentials;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Telemetry;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CleanCognito.Application;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the Application layer: its validators and the credential cache. The mediator
    /// itself is generated and registered in Web (the source generator must live in the
    /// outermost project only).
    /// </summary>
    public static IServiceCollection AddApplicationServices(this IServiceCollection services)
    {
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Scoped, includeInternalTypes: true);

        // One cache for the whole app: its entries are per user and per identity. Its policy comes
        // from a setting (IdentityPool:RefreshMarginSeconds), and its store and flight from whether a
        // shared store is configured, so Infrastructure registers those (SharedStore/).
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ICredentialCache, CredentialCache>();
        // Its meter comes from the host's IMeterFactory (every .NET host registers one).
        services.TryAddSingleton<AppMetrics>();
        services.AddScoped<ICurrentIdentity, CurrentIdentity>();
        return services;
    }
}
