using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.Configuration;

/// <summary>How every settings section is registered: bound, checked by its validator, and checked at start-up, not on first use.</summary>
public static class ValidatedOptionsExtensions
{
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services;
    }
}
