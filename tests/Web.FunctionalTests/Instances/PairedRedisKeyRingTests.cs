using System.Security.Cryptography;
using CleanCognito.Infrastructure.Redis;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanCognito.Web.FunctionalTests.Instances;

/// <summary>
/// Instances with <c>Redis:Configuration</c> set share the Data Protection key ring through a real
/// redis-server, with no shared folder: what one encrypts, the other reads.
/// </summary>
public sealed class PairedRedisKeyRingTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string RefreshTokenPurpose = "CleanCognito.RefreshToken";

    [Fact]
    public void A_refresh_token_protected_on_one_instance_is_read_on_another_sharing_redis()
    {
        using var first = new ProductionAppFactory(keysPath: null, extraSettings: RedisSettings(redis.Configuration));
        using var second = new ProductionAppFactory(keysPath: null, extraSettings: RedisSettings(redis.Configuration));

        var cookieValue = Protector(first).Protect("refresh-token-from-cognito");

        Protector(second).Unprotect(cookieValue).Should().Be("refresh-token-from-cognito");
        first.Services.GetRequiredService<RedisConnection>().Database.ListLength("CleanCognito:DataProtection-Keys")
            .Should().BeGreaterThan(0, "the key ring lives in Redis, not on the instance");
    }

    [Fact]
    public void An_instance_outside_the_shared_store_rejects_the_cookie()
    {
        using var keys = new TempKeyFolder();
        using var shared = new ProductionAppFactory(keysPath: null, extraSettings: RedisSettings(redis.Configuration));
        using var alone = new ProductionAppFactory(keys.Path);

        var cookieValue = Protector(shared).Protect("refresh-token-from-cognito");

        FluentActions.Invoking(() => Protector(alone).Unprotect(cookieValue)).Should().Throw<CryptographicException>();
    }

    [Fact]
    public void With_redis_there_is_no_warning_about_unshared_keys()
    {
        using var app = new ProductionAppFactory(keysPath: null, extraSettings: RedisSettings(redis.Configuration));
        _ = app.Services;

        app.Logs.Entries.Should().NotContain(l => l.Level >= LogLevel.Warning && l.Message.Contains("DataProtection:KeysPath", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cache.example.com:6379,sslx=true")]
    [InlineData(",password=secret-value")]
    public void A_malformed_redis_setting_is_a_one_line_start_up_error_that_hides_the_value(string value)
    {
        using var app = new ProductionAppFactory(keysPath: null, extraSettings: RedisSettings(value));

        var failure = FluentActions.Invoking(() => app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RedisOptions>>().Value)
            .Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().Which;

        failure.Failures.Should().ContainSingle().Which.Should()
            .StartWith("Redis:Configuration is not a StackExchange.Redis configuration string")
            .And.Contain("Redis__Configuration")
            .And.NotContain("secret-value");
    }

    private static Dictionary<string, string?> RedisSettings(string configuration) => new() { ["Redis:Configuration"] = configuration };

    private static IDataProtector Protector(ProductionAppFactory app) =>
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(RefreshTokenPurpose);
}
