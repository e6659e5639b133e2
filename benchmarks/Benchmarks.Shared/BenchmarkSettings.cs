using System.Globalization;

namespace CleanCognito.Files.Benchmark;

/// <summary>Command-line options: <c>--rounds 6 --seconds 10 --warmup 3 --threads 2 --connections 12 --files 5</c>.</summary>
internal sealed record BenchmarkSettings(int Rounds, int Seconds, int WarmupSeconds, int Threads, int Connections, int Files)
{
    public static BenchmarkSettings Parse(string[] args)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["--rounds"] = 6,
            ["--seconds"] = 10,
            ["--warmup"] = 3,
            ["--threads"] = 2,
            ["--connections"] = 12,
            ["--files"] = 5,
        };
        for (var i = 0; i < args.Length; i++)
        {
            if (!values.ContainsKey(args[i]) || i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                throw new ArgumentException($"Unknown option or bad value at \"{args[i]}\". Options (positive integers): {string.Join(' ', values.Keys)}");
            }

            values[args[i]] = value;
            i++;
        }

        // Bounded: at most 20 rounds of at most 60 s per variant.
        return new BenchmarkSettings(
            Math.Min(values["--rounds"], 20),
            Math.Min(values["--seconds"], 60),
            Math.Min(values["--warmup"], 30),
            Math.Min(values["--threads"], 8),
            Math.Max(Math.Min(values["--connections"], 256), values["--threads"]),
            Math.Min(values["--files"], 50));
    }
}
