namespace CleanCognito.Application.Common.Interfaces;

/// <summary>A presigned URL for one file and when it stops working.</summary>
public sealed record DownloadLink(Uri Url, DateTimeOffset ExpiresAt);
