using System.Globalization;

namespace SupplyChain.Benchmarks.Load;

/// <summary>
/// A process's CPU time and peak resident memory from procfs (proc(5)): <c>utime</c> and <c>stime</c>, fields 14 and 15
/// of <c>/proc/[pid]/stat</c>, in clock ticks of 1/100 s (USER_HZ on Linux x86-64 and arm64); <c>VmHWM</c> of
/// <c>/proc/[pid]/status</c>.
/// </summary>
internal static class ProcessMeter
{
    private const double TicksPerSecond = 100;

    /// <summary>User plus system CPU time the process has used so far, or null when it is gone.</summary>
    public static TimeSpan? CpuTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((utime + stime) / TicksPerSecond);
    }

    /// <summary>Peak resident set size in bytes (VmHWM), or null when the process is gone.</summary>
    public static long? PeakRss(int pid) => StatusBytes(pid, "VmHWM:");

    /// <summary>Current resident set size in bytes (VmRSS), or null when the process is gone.</summary>
    public static long? Rss(int pid) => StatusBytes(pid, "VmRSS:");

    private static long? StatusBytes(int pid, string field)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{pid}/status");
        }
        catch (IOException)
        {
            return null;
        }

        var line = lines.FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? null : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>The 1-, 5- and 15-minute load averages as <c>/proc/loadavg</c> gives them.</summary>
    public static string LoadAverage() =>
        string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
