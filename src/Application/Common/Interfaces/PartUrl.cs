namespace CleanCognito.Application.Common.Interfaces;

/// <summary>A presigned URL that accepts the bytes of one part of an upload (a PUT), until <paramref name="ExpiresAt"/>.</summary>
public sealed record PartUrl(int PartNumber, Uri Url, DateTimeOffset ExpiresAt);
