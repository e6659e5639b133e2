using System.Globalization;
using System.Text;

namespace CleanCognito.Files.Benchmark;

/// <summary>The Markdown tables: every round, then medians, the ratio and the exchanges each variant caused.</summary>
internal static class Report
{
    public static string Markdown(
        BenchmarkSettings settings,
        IReadOnlyList<AppInstance> variants,
        IReadOnlyDictionary<AppInstance, List<WrkResult>> results,
        IReadOnlyDictionary<AppInstance, (long GetId, long GetCredentials)> exchanges,
        int processors,
        string loadBefore,
        string loadAfter)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"wrk -t{settings.Threads} -c{settings.Connections} -d{settings.Seconds}s, {settings.Rounds} rounds per variant alternating A,B; GET /Files listing {settings.Files} files.");
        text.AppendLine(c, $"nproc {processors}; /proc/loadavg before: `{loadBefore}`, after: `{loadAfter}`.");
        text.AppendLine();
        text.Append("| round |");
        foreach (var v in variants)
        {
            text.Append(c, $" {Short(v)} req/s | {Short(v)} p50 ms | {Short(v)} p99 ms |");
        }

        text.AppendLine();
        text.AppendLine("|---:|" + string.Concat(Enumerable.Repeat("---:|", 3 * variants.Count)));
        for (var round = 0; round < settings.Rounds; round++)
        {
            text.Append(c, $"| {round + 1} |");
            foreach (var v in variants)
            {
                var r = results[v][round];
                text.Append(c, $" {r.RequestsPerSecond:0}{(r.Clean ? string.Empty : " ⚠")} | {Wrk.Ms(r.P50Us)} | {Wrk.Ms(r.P99Us)} |");
            }

            text.AppendLine();
        }

        text.AppendLine();
        text.AppendLine("| variant | median req/s | min–max req/s | median p50 ms | median p99 ms | requests | non-200 | socket errors / timeouts | GetId calls | GetCredentialsForIdentity calls |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var v in variants)
        {
            var rs = results[v];
            var requests = rs.Sum(r => r.Requests);
            text.AppendLine(c,
                $"| {v.Name} | {Median(rs.Select(r => r.RequestsPerSecond)):0} | {rs.Min(r => r.RequestsPerSecond):0}–{rs.Max(r => r.RequestsPerSecond):0} | {Wrk.Ms(Median(rs.Select(r => (double)r.P50Us)))} | {Wrk.Ms(Median(rs.Select(r => (double)r.P99Us)))} | {requests} | {rs.Sum(r => r.Non200)} | {rs.Sum(r => r.SocketErrors)} / {rs.Sum(r => r.Timeouts)} | {exchanges[v].GetId} | {exchanges[v].GetCredentials} |");
        }

        var a = Median(results[variants[0]].Select(r => r.RequestsPerSecond));
        var b = Median(results[variants[1]].Select(r => r.RequestsPerSecond));
        text.AppendLine();
        text.AppendLine(c, $"Ratio of medians A/B: **{a / b:0.00}×**.");
        return text.ToString();
    }

    private static string Short(AppInstance v) => v.Name[..1];

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
