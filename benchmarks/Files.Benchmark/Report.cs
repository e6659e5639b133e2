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
        IReadOnlyList<(string Name, WrkResult Result)> references,
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

        text.AppendLine(" A/B |");
        text.AppendLine("|---:|" + string.Concat(Enumerable.Repeat("---:|", (3 * variants.Count) + 1)));
        for (var round = 0; round < settings.Rounds; round++)
        {
            text.Append(c, $"| {round + 1} |");
            foreach (var v in variants)
            {
                var r = results[v][round];
                text.Append(c, $" {r.RequestsPerSecond:0}{(r.Clean ? string.Empty : " ⚠")} | {Wrk.Ms(r.P50Us)} | {Wrk.Ms(r.P99Us)} |");
            }

            text.AppendLine(c, $" {PairedRatio(round):0.00} |");
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
        var paired = Enumerable.Range(0, settings.Rounds).Select(PairedRatio).ToArray();
        text.AppendLine();
        text.AppendLine(c, $"Ratio of medians A/B: **{a / b:0.00}×**; median of the per-round ratios (each A round against the B round right after it): {Median(paired):0.00}× (range {paired.Min():0.00}–{paired.Max():0.00}).");
        text.AppendLine();
        text.AppendLine("Reference runs on the same machine, one each, not part of the comparison:");
        text.AppendLine();
        text.AppendLine("| reference | req/s | p50 ms | p99 ms | non-200 |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (name, r) in references)
        {
            text.AppendLine(c, $"| {name} | {r.RequestsPerSecond:0} | {Wrk.Ms(r.P50Us)} | {Wrk.Ms(r.P99Us)} | {r.Non200} |");
        }

        return text.ToString();

        double PairedRatio(int round) => results[variants[0]][round].RequestsPerSecond / results[variants[1]][round].RequestsPerSecond;
    }

    private static string Short(AppInstance v) => v.Name[..1];

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
