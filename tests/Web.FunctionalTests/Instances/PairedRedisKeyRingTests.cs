using System.Security.Cryptography;
using Amazon.KeyManagementService;
using CleanCognito.Infrastructure.DataProtection;
using CleanCognito.Infrastructure.SharedStore;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanCognito.Web.FunctionalTests.Instances;

/// <summary>
/// Instances with <c>Redis:Configuration</c> set share the Data Protection key ring through a real
/// redis-server (with AUTH), with no shared folder: what one encrypts, the other reads. In Production
/// the ring is encrypted with a KMS key (moto's here), and without one the app does not start.
/// </summary>
public sealed class PairedRedisKeyRingTests(RedisServer redis, MotoKms kms) : IClassFixture<RedisServer>, IClassFixture<MotoKms>
{
    private const string RefreshTokenPurpose = "CleanCognito.RefreshToken";

    [Fact]
    public void A_refresh_token_protected_on_one_instance_is_read_on_another_sharing_redis()
    {
        using var first = Shared();
        using var second = Shared();

        var cookieValue = Protector(first).Protect("refresh-token-from-cognito");

        Protector(second).Unprotect(cookieValue).Should().Be("refresh-token-from-cognito");
        var ring = first.Services.GetRequiredService<RedisConnection>().Database.ListRange("CleanCognito:DataProtection-Keys").Select(k => k.ToString()).ToList();
        ring.Should().NotBeEmpty("the key ring lives in Redis, not on the instance");
        ring.Should().OnlyContain(k => k.Contains("<kmsEncryptedKey", StringComparison.Ordinal) && !k.Contains("<masterKey", StringComparison.Ordinal),
            "in Production every key is stored encrypted with the KMS key");
    }

    [Fact]
    public void In_production_redis_without_a_kms_key_is_a_start_up_error_naming_the_key()
    {
        using var app = new ProductionAppFactory(keysPath: null, extraSettings: redis.Settings());

        var failure = FluentActions.Invoking(() => app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<KeyRingEncryptionOptions>>().Value)
            .Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().Which;

        failure.Failures.Should().ContainSingle().Which.Should()
            .StartWith("DataProtection:KmsKeyId is missing")
            .And.Contain("Redis:Configuration")
            .And.Contain("DataProtection__KmsKeyId");
    }

    [Fact]
    public void An_instance_outside_the_shared_store_rejects_the_cookie()
    {
        using var keys = new TempKeyFolder();
        using var shared = Shared();
        using var alone = new ProductionAppFactory(keys.Path);

        var cookieValue = Protector(shared).Protect("refresh-token-from-cognito");

        FluentActions.Invoking(() => Protector(alone).Unprotect(cookieValue)).Should().Throw<CryptographicException>();
    }

    [Fact]
    public void With_redis_there_is_no_warning_about_unshared_keys()
    {
        using var app = Shared();
        _ = app.Services;

        app.Logs.Entries.Should().NotContain(l => l.Level >= LogLevel.Warning && l.Message.Contains("DataProtection:KeysPath", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cache.example.com:6379,sslx=true")]
    [InlineData(",password=secret-value")]
    public void A_malformed_redis_setting_is_a_one_line_start_up_error_that_hides_the_value(string value)
    {
        using var app = new ProductionAppFactory(keysPath: null, extraSettings: new Dictionary<string, string?> { ["Redis:Configuration"] = value, ["DataProtection:KmsKeyId"] = kms.KeyArn });

        var failure = FluentActions.Invoking(() => app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RedisOptions>>().Value)
            .Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().Which;

        failure.Failures.Should().ContainSingle().Which.Should()
            .StartWith("Redis:Configuration is not a StackExchange.Redis configuration string")
            .And.Contain("Redis__Configuration")
            .And.NotContain("secret-value");
    }

    /// <summary>An instance as deployed: Redis with its password apart, the key ring's KMS key, and a KMS client on moto.</summary>
    private ProductionAppFactory Shared()
    {
        var settings = redis.Settings();
        settings["DataProtection:KmsKeyId"] = kms.KeyArn;
        var app = new ProductionAppFactory(keysPath: null, extraSettings: settings);
        app.ConfigureTestServices(services => services.AddKeyedSingleton<IAmazonKeyManagementService>(KeyRingKms.ClientKey, kms.Client()));
        return app;
    }

    private static IDataProtector Protector(ProductionAppFactory app) =>
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(RefreshTokenPurpose);
}
