using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace CleanCognito.Application;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the Application layer: its validators. The mediator itself is generated and
    /// registered in Web (the source generator must live in the outermost project only).
    /// </summary>
    public static IServiceCollection AddApplicationServices(this IServiceCollection services)
    {
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Scoped, includeInternalTypes: true);
        return services;
    }
}
