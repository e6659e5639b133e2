using CleanCognito.Infrastructure.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.Storage;

/// <summary>The <c>Storage</c> configuration section (the S3 bucket of the users' private files).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public string BucketName { get; set; } = string.Empty;

    /// <summary>The bucket's region; defaults to the identity pool's.</summary>
    public string? Region { get; set; }

    /// <summary>An S3-compatible endpoint (the local moto). Path-style addressing is used when set.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The largest upload accepted, in bytes (default 25 MB). Larger requests are refused before they are read.</summary>
    // PutObject takes up to 5 GB (5 GiB) in one request; beyond that an upload needs multipart.
    [SettingRange(1, 5368709120)]
    public long MaxUploadBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>How long a download link works, at most (never past the credentials' expiry).</summary>
    // SigV4 presigned URLs are limited to 7 days; temporary credentials end far sooner anyway.
    [SettingRange(1, 10080)]
    public int PresignedUrlMinutes { get; set; } = 15;

    /// <summary>Files per page on <c>/Files</c>.</summary>
    [SettingRange(1, 1000)]
    public int PageSize { get; set; } = 25;

    /// <summary>Upper bound for one S3 call including the SDK's retries; then the page says "try again" (503).</summary>
    [SettingRange(1, 600)]
    public double TimeoutSeconds { get; set; } = 60;

    /// <summary>Upper bound for one HTTP attempt (an upload's body included); a slower attempt is abandoned and retried if it can be.</summary>
    [SettingRange(0.5, 600)]
    public double AttemptTimeoutSeconds { get; set; } = 20;
}

internal sealed class StorageOptionsValidator(IHostEnvironment environment) : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new SettingErrors(StorageOptions.SectionName);
        errors.Required(nameof(options.BucketName), options.BucketName);
        errors.Url(nameof(options.ServiceUrl), options.ServiceUrl, requireHttps: !environment.IsLocal(), required: false);
        errors.Range(options, nameof(options.MaxUploadBytes));
        errors.Range(options, nameof(options.PresignedUrlMinutes));
        errors.Range(options, nameof(options.PageSize));
        errors.Range(options, nameof(options.TimeoutSeconds));
        errors.Range(options, nameof(options.AttemptTimeoutSeconds));
        errors.NotAbove(nameof(options.AttemptTimeoutSeconds), options.AttemptTimeoutSeconds, nameof(options.TimeoutSeconds), options.TimeoutSeconds);

        return errors.ToResult();
    }
}
