using System.Globalization;

namespace CleanCognito.Benchmarks;

/// <summary>
/// Command-line options shared by the harnesses (<c>--rounds 6 --seconds 10 --warmup 3 --threads 2
/// --connections 12</c>) plus each harness's own, all positive integers, each bounded.
/// </summary>
public sealed class BenchmarkSettings
{
    private readonly Dictionary<string, int> _values;

    private BenchmarkSettings(Dictionary<string, int> values) => _values = values;

    public int Rounds => Math.Min(_values["--rounds"], 20);

    public int Seconds => Math.Min(_values["--seconds"], 60);

    public int WarmupSeconds => Math.Min(_values["--warmup"], 30);

    public int Threads => Math.Min(_values["--threads"], 8);

    public int Connections => Math.Max(Math.Min(_values["--connections"], 256), Threads);

    /// <summary>One of the harness's own options, at most <paramref name="max"/>.</summary>
    public int Option(string name, int max) => Math.Min(_values[name], max);

    /// <param name="args">The command line.</param>
    /// <param name="own">The harness's own options and their defaults, e.g. <c>["--files"] = 5</c>.</param>
    /// <param name="defaults">Overrides of the shared defaults.</param>
    public static BenchmarkSettings Parse(string[] args, IReadOnlyDictionary<string, int>? own = null, IReadOnlyDictionary<string, int>? defaults = null)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["--rounds"] = 6,
            ["--seconds"] = 10,
            ["--warmup"] = 3,
            ["--threads"] = 2,
            ["--connections"] = 12,
        };
        foreach (var (name, value) in (own ?? new Dictionary<string, int>()).Concat(defaults ?? new Dictionary<string, int>()))
        {
            values[name] = value;
        }

        for (var i = 0; i < args.Length; i++)
        {
            if (!values.ContainsKey(args[i]) || i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                throw new ArgumentException($"Unknown option or bad value at \"{args[i]}\". Options (positive integers): {string.Join(' ', values.Keys)}");
            }

            values[args[i]] = value;
            i++;
        }

        return new BenchmarkSettings(values);
    }
}
