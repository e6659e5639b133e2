namespace CleanCognito.Application.Common.Interfaces;

/// <summary>One file in the user's folder: its name inside the folder, size in bytes, last change.</summary>
public sealed record StoredFile(string Name, long Size, DateTimeOffset LastModified);
