using CleanCognito.Infrastructure.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CleanCognito.Infrastructure.Redis;

/// <summary>
/// The <c>Redis</c> configuration section: the shared store that lets several instances behind a load
/// balancer act as one. Unset (the default) keeps every piece of state inside the one process.
/// </summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>
    /// A StackExchange.Redis configuration string, e.g. <c>cache.example.com:6379,ssl=true,password=…</c>.
    /// It may carry a password: it is never logged.
    /// </summary>
    public string? Configuration { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Configuration);
}

internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        var errors = new SettingErrors(RedisOptions.SectionName);
        if (options.IsConfigured && !Parses(options.Configuration!))
        {
            // The value is not echoed: it may hold the password.
            errors.Add(nameof(options.Configuration), "is not a StackExchange.Redis configuration string (host:port[,option=value…]).");
        }

        return errors.ToResult();
    }

    private static bool Parses(string configuration)
    {
        try
        {
            return ConfigurationOptions.Parse(configuration).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
