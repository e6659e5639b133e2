using System.Globalization;

namespace CleanCognito.Web.Files;

/// <summary>Sizes as people read them: 999 B, 1.5 KB, 25 MB (binary multiples, one decimal below 10).</summary>
internal static class FileSize
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB"];

    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        var format = unit == 0 || value >= 10 ? "0" : "0.#";
        return $"{value.ToString(format, CultureInfo.InvariantCulture)} {Units[unit]}";
    }
}
