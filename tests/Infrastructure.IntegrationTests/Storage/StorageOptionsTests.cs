using CleanCognito.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.IntegrationTests.Storage;

/// <summary>The S3 time bounds are settings with defaults, validated at start like every other section.</summary>
public sealed class StorageOptionsTests
{
    [Fact]
    public void The_defaults_bound_every_call_and_every_attempt()
    {
        var options = new StorageOptions { BucketName = "files" };

        Validate(options).Succeeded.Should().BeTrue();
        options.TimeoutSeconds.Should().Be(9, "a stalled S3 must give the 503 page within 10 s, the page's own work included");
        options.AttemptTimeoutSeconds.Should().Be(5);
    }

    [Theory]
    [InlineData(0, 0.5, "Storage:TimeoutSeconds")]
    [InlineData(601, 20, "Storage:TimeoutSeconds")]
    [InlineData(10, 0.1, "Storage:AttemptTimeoutSeconds")]
    [InlineData(10, 11, "Storage:AttemptTimeoutSeconds")]
    public void Out_of_range_timeouts_fail_with_a_message_naming_the_key(double total, double attempt, string key)
    {
        var result = Validate(new StorageOptions { BucketName = "files", TimeoutSeconds = total, AttemptTimeoutSeconds = attempt });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain(key).And.Contain(key.Replace(":", "__", StringComparison.Ordinal));
    }

    private static ValidateOptionsResult Validate(StorageOptions options) =>
        new StorageOptionsValidator(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" }).Validate(null, options);
}
