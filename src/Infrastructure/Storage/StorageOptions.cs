using CleanCognito.Infrastructure.Aws;
using CleanCognito.Infrastructure.Configuration;
using Microsoft.Extensions.Hosting;

namespace CleanCognito.Infrastructure.Storage;

/// <summary>The <c>Storage</c> configuration section (the S3 bucket of the users' private files).</summary>
public sealed class StorageOptions : IAwsServiceOptions
{
    public const string SectionName = "Storage";

    static string IAwsServiceOptions.Section => SectionName;

    public string BucketName { get; set; } = string.Empty;

    /// <summary>The bucket's region; defaults to the identity pool's.</summary>
    public string? Region { get; set; }

    /// <summary>An S3-compatible endpoint (the local moto). Path-style addressing is used when set.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The largest upload accepted, in bytes (default 25 MB). Larger requests are refused before they are read.</summary>
    // PutObject takes up to 5 GB (5 GiB) in one request; beyond that an upload needs multipart.
    [SettingRange(1, 5368709120)]
    public long MaxUploadBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>
    /// The largest file the browser may upload straight to the bucket in parts (default 5 GiB). S3 takes
    /// objects up to 5 TiB; the part size grows so a file never needs more than 10,000 parts.
    /// </summary>
    [SettingRange(1, 5497558138880)]
    public long MaxDirectUploadBytes { get; set; } = 5L * 1024 * 1024 * 1024;

    /// <summary>How long a download link works, at most (never past the credentials' expiry).</summary>
    // SigV4 presigned URLs are limited to 7 days; temporary credentials end far sooner anyway.
    [SettingRange(1, 10080)]
    public int PresignedUrlMinutes { get; set; } = 15;

    /// <summary>Files per page on <c>/Files</c>.</summary>
    [SettingRange(1, 1000)]
    public int PageSize { get; set; } = 25;

    /// <summary>
    /// Upper bound for one S3 call including the SDK's retries; then the page says "try again" (503).
    /// Short, because the app's S3 calls are all small now: the browser sends upload bytes to the
    /// bucket itself (docs/decisions/0010-direct-uploads.md), so a stalled S3 costs a page 10 s, not 60:
    /// 9 s for the call (a 5 s attempt and most of a retry), so the 503 page is written within the 10th.
    /// </summary>
    [SettingRange(1, 600)]
    public double TimeoutSeconds { get; set; } = 9;

    /// <summary>
    /// Upper bound for one HTTP attempt; a slower attempt is abandoned and retried if it can be. The
    /// form upload without JavaScript (up to <see cref="MaxUploadBytes"/>) sends its body within this
    /// bound too: the form reader has already spooled it to a temporary file, so only S3's speed counts.
    /// </summary>
    [SettingRange(0.5, 600)]
    public double AttemptTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Upper bound for CompleteMultipartUpload, the one S3 call that is long by nature: S3 joins the
    /// parts, which "could take several minutes" for a large file (AWS's words); measured locally, a
    /// 1 GiB file takes seconds, longer than <see cref="TimeoutSeconds"/>. One attempt, never
    /// retried: a second conditional completion after a first one that stored the file would answer
    /// "already exists" (docs/decisions/0010-direct-uploads.md).
    /// </summary>
    [SettingRange(1, 900)]
    public double CompleteTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// What each part adds to a completion's bound (<see cref="CompletionTimeout"/>): joining is work
    /// per part, so a small file's completion is bounded like any other call and only a large one may
    /// wait minutes. Moto behind the local front joins a part in about 50 ms on 2 busy cores.
    /// </summary>
    [SettingRange(0.1, 60)]
    public double CompleteSecondsPerPart { get; set; } = 1;

    /// <summary>
    /// The bound of one CompleteMultipartUpload of <paramref name="parts"/> parts: <see cref="TimeoutSeconds"/>
    /// and <see cref="CompleteSecondsPerPart"/> a part, at most <see cref="CompleteTimeoutSeconds"/>. With a
    /// stalled S3, a one-part file's completion answers 503 after 10 s, not 300.
    /// </summary>
    public TimeSpan CompletionTimeout(int parts) =>
        TimeSpan.FromSeconds(Math.Min(CompleteTimeoutSeconds, TimeoutSeconds + (Math.Max(parts, 1) * CompleteSecondsPerPart)));

    void IAwsServiceOptions.AddProblems(SettingErrors errors)
    {
        errors.Required(nameof(BucketName), BucketName);
        errors.Range(this, nameof(MaxUploadBytes));
        errors.Range(this, nameof(MaxDirectUploadBytes));
        errors.Range(this, nameof(PresignedUrlMinutes));
        errors.Range(this, nameof(PageSize));
        errors.Range(this, nameof(CompleteTimeoutSeconds));
        errors.Range(this, nameof(CompleteSecondsPerPart));
    }
}

/// <summary>The shared checks of every AWS service section, and the bucket's own (<see cref="IAwsServiceOptions.AddProblems"/>).</summary>
internal sealed class StorageOptionsValidator(IHostEnvironment environment) : AwsServiceOptionsValidator<StorageOptions>(environment);
