using CleanCognito.Infrastructure.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CleanCognito.Infrastructure.SharedStore;

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

    /// <summary>
    /// The AUTH user (an ElastiCache RBAC user; locally redis-server's <c>default</c>). Unset with a
    /// password: the <c>default</c> user. Overrides a <c>user=</c> in <see cref="Configuration"/>.
    /// </summary>
    public string? User { get; set; }

    /// <summary>
    /// The AUTH password (on ECS from Secrets Manager, env <c>Redis__Password</c>). Overrides a
    /// <c>password=</c> in <see cref="Configuration"/>. Never logged.
    /// </summary>
    public string? Password { get; set; }

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

        if (!string.IsNullOrWhiteSpace(options.User) && string.IsNullOrEmpty(options.Password))
        {
            // An ACL user without its password would be refused at every connection: say so now.
            errors.Add(nameof(options.Password), "is missing: Redis:User is set, and Redis AUTH needs the user's password.");
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
