namespace CleanCognito.Application.Common.Interfaces;

/// <summary>What the store answered for one part's PUT (its ETag), as the browser reports it for completion.</summary>
public sealed record PartReceipt(int PartNumber, string ETag);
