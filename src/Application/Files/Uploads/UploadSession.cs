using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Application.Files.Uploads;

/// <summary>An upload started for the browser: how to cut the file, and the URLs of its first parts (more on demand).</summary>
public sealed record UploadSession(string UploadId, string Name, long PartSize, int PartCount, IReadOnlyList<PartUrl> Parts);
