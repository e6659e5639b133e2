namespace CleanCognito.Application.Files.Uploads;

/// <summary>
/// How a file is cut into parts: S3 takes at most 10,000 parts, each at least 5 MiB except the last,
/// so a part is 5 MiB or the size that keeps the count at 10,000, rounded up to whole MiB.
/// </summary>
public sealed record PartPlan(long PartSize, int PartCount)
{
    public const int MaxParts = 10_000;

    public const long MinPartSize = 5L * Mebibyte;

    private const long Mebibyte = 1024 * 1024;

    public static PartPlan For(long size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var needed = Math.Max(MinPartSize, DivideUp(size, MaxParts));
        var partSize = DivideUp(needed, Mebibyte) * Mebibyte;
        return new PartPlan(partSize, (int)DivideUp(size, partSize));
    }

    private static long DivideUp(long value, long by) => ((value - 1) / by) + 1;
}
