using System.Globalization;

namespace CleanCognito.Upload.Benchmark;

/// <summary>A process's CPU time (user + system) from <c>/proc/PID/stat</c>, as <c>top</c> reads it.</summary>
internal static class ProcessCpu
{
    // USER_HZ: 100 on every Linux the project runs on (sysconf(_SC_CLK_TCK)).
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count from after it.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((utime + stime) / TicksPerSecond);
    }
}
