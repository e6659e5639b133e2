using CleanCognito.Infrastructure.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.AppSync;

/// <summary>The <c>AppSync</c> configuration section.</summary>
public sealed class AppSyncOptions
{
    public const string SectionName = "AppSync";

    /// <summary>The GraphQL endpoint, e.g. <c>https://xyz.appsync-api.eu-west-1.amazonaws.com/graphql</c>.</summary>
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>Upper bound for one operation including retries.</summary>
    [SettingRange(1, 120)]
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Upper bound for one attempt; a slower attempt is abandoned (and retried if it was a query).</summary>
    [SettingRange(0.5, 120)]
    public double AttemptTimeoutSeconds { get; set; } = 4;

    /// <summary>Retries for queries on timeouts and 5xx. Mutations are never retried.</summary>
    [SettingRange(0, 5)]
    public int MaxQueryRetries { get; set; } = 2;
}

internal sealed class AppSyncOptionsValidator(IHostEnvironment environment) : IValidateOptions<AppSyncOptions>
{
    public ValidateOptionsResult Validate(string? name, AppSyncOptions options)
    {
        var errors = new SettingErrors(AppSyncOptions.SectionName);
        errors.Url(nameof(options.Endpoint), options.Endpoint, requireHttps: !environment.IsLocal());
        errors.Range(options, nameof(options.TimeoutSeconds));
        errors.Range(options, nameof(options.AttemptTimeoutSeconds));
        errors.Range(options, nameof(options.MaxQueryRetries));
        errors.NotAbove(nameof(options.AttemptTimeoutSeconds), options.AttemptTimeoutSeconds, nameof(options.TimeoutSeconds), options.TimeoutSeconds);
        return errors.ToResult();
    }
}
