using System.Globalization;
using System.Text;

namespace CleanCognito.Benchmarks;

/// <summary>The Markdown tables of a run: every round side by side, then medians, then the ratios asked for.</summary>
public static class RoundsReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <param name="ratios">Pairs of targets to compare by requests per second, e.g. (A, B) and (A, F).</param>
    public static string Markdown(
        BenchmarkSettings settings,
        IReadOnlyList<LoadTarget> targets,
        IReadOnlyDictionary<LoadTarget, List<RoundResult>> results,
        IReadOnlyList<(LoadTarget Numerator, LoadTarget Denominator)> ratios)
    {
        var text = new StringBuilder();
        text.AppendLine(C, $"wrk -t{settings.Threads} -c{settings.Connections} -d{settings.Seconds}s, {settings.Rounds} rounds, targets alternating {string.Join(',', targets.Select(t => t.Letter))} in each round.");
        text.AppendLine();
        text.Append("| round |");
        foreach (var t in targets)
        {
            text.Append(C, $" {t.Letter} req/s | {t.Letter} p50 ms | {t.Letter} p99 ms |");
            if (t.IsApp)
            {
                text.Append(C, $" {t.Letter} CPU ms/req |");
            }
        }

        text.AppendLine();
        text.AppendLine("|---:|" + string.Concat(targets.Select(t => t.IsApp ? "---:|---:|---:|---:|" : "---:|---:|---:|")));
        for (var round = 0; round < settings.Rounds; round++)
        {
            text.Append(C, $"| {round + 1} |");
            foreach (var t in targets)
            {
                var r = results[t][round];
                text.Append(C, $" {r.Wrk.RequestsPerSecond:0}{(r.Wrk.Clean ? string.Empty : " ⚠")} | {Wrk.Ms(r.Wrk.P50Us)} | {Wrk.Ms(r.Wrk.P99Us)} |");
                if (t.IsApp)
                {
                    text.Append(C, $" {r.CpuMsPerRequest:0.000} |");
                }
            }

            text.AppendLine();
        }

        var counterNames = results.Values.SelectMany(rs => rs).SelectMany(r => r.Counters.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        text.AppendLine();
        text.AppendLine("| target | median req/s | min–max req/s | median p50 ms | median p99 ms | median app CPU ms/req | median KB allocated/req | requests | non-200 | socket errors / timeouts |"
            + string.Concat(counterNames.Select(n => $" {n} calls |")));
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + string.Concat(counterNames.Select(_ => "---:|")));
        foreach (var t in targets)
        {
            var rs = results[t];
            var cpu = t.IsApp ? Rounds.Median(rs.Select(r => r.CpuMsPerRequest ?? double.NaN)).ToString("0.000", C) : "—";
            var allocated = t.Cpu is { InThisProcess: true } ? Rounds.Median(rs.Select(r => r.AllocatedKbPerRequest ?? double.NaN)).ToString("0.0", C) : "—";
            text.AppendLine(string.Create(C,
                $"| {t.Name} | {MedianRate(rs):0} | {rs.Min(r => r.Wrk.RequestsPerSecond):0}–{rs.Max(r => r.Wrk.RequestsPerSecond):0} | {Wrk.Ms(Rounds.Median(rs.Select(r => (double)r.Wrk.P50Us)))} | {Wrk.Ms(Rounds.Median(rs.Select(r => (double)r.Wrk.P99Us)))} | {cpu} | {allocated} | {rs.Sum(r => r.Wrk.Requests)} | {rs.Sum(r => r.Wrk.Non200)} | {rs.Sum(r => r.Wrk.SocketErrors)} / {rs.Sum(r => r.Wrk.Timeouts)} |")
                + string.Concat(counterNames.Select(n => string.Create(C, $" {rs.Sum(r => r.Counters.GetValueOrDefault(n))} |"))));
        }

        text.AppendLine();
        text.AppendLine(C, $"App CPU per request = the CPU time of the process serving the target (this one, or the app's own) during the round / requests; at rest (no requests) this process used {Rounds.IdleCpuMsPerSecond:0.0} ms of CPU per second, included in the in-process figures. KB allocated per request (in-process targets only) = this process's managed allocations during the round / requests.");
        text.AppendLine();
        foreach (var (a, b) in ratios)
        {
            var paired = Enumerable.Range(0, settings.Rounds).Select(i => results[a][i].Wrk.RequestsPerSecond / results[b][i].Wrk.RequestsPerSecond).ToArray();
            text.AppendLine(C, $"- {a.Letter}/{b.Letter}: ratio of medians **{MedianRate(results[a]) / MedianRate(results[b]):0.00}×**; median of the per-round ratios {Rounds.Median(paired):0.00}× (range {paired.Min():0.00}–{paired.Max():0.00}).");
        }

        return text.ToString();
    }

    public static double MedianRate(IEnumerable<RoundResult> rounds) => Rounds.Median(rounds.Select(r => r.Wrk.RequestsPerSecond));
}
