namespace CleanCognito.Application.Common.Interfaces;

/// <summary>A part the store already holds for an upload in progress.</summary>
public sealed record UploadedPart(int PartNumber, string ETag, long Size);
