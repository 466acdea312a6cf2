using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Rules;

namespace SupplyChain.Hub.ColdChain;

/// <summary>
/// One stretch of a place's readings outside its range: from the first reading outside to the first reading back inside
/// (each reading holds until the next, as in PROTOCOL.md §6.3), or still ongoing after the last reading.
/// </summary>
/// <param name="Start">Time of the first reading outside the range.</param>
/// <param name="End">Time of the first reading back inside; null while ongoing.</param>
/// <param name="Duration">End − start, or (the later of now and the last reading) − start while ongoing.</param>
/// <param name="PeakCelsius">The reading farthest outside the range.</param>
/// <param name="MktCelsius">Mean kinetic temperature over the excursion (USP &lt;1079.2&gt;, <see cref="Mkt"/>); null for a zero-length one.</param>
/// <param name="Readings">How many readings lay outside the range.</param>
internal sealed record Excursion(DateTimeOffset Start, DateTimeOffset? End, TimeSpan Duration, decimal PeakCelsius, double? MktCelsius, int Readings)
{
    public bool Ongoing => End is null;

    /// <summary>The end of the half-open window [start, end) the excursion covers; "now" while it goes on.</summary>
    public DateTimeOffset WindowEnd => End ?? Start + Duration;
}

/// <summary>Finds the excursions of one place's time-ordered readings (the series <see cref="CustodyRules.Readings"/> keeps).</summary>
internal static class ExcursionFinder
{
    /// <summary>
    /// The newest <paramref name="limit"/> excursions that overlap [<paramref name="from"/>, <paramref name="to"/>),
    /// oldest first. Cost: the readings of the window plus those of an excursion running into it; memory: the limit.
    /// </summary>
    public static IReadOnlyList<Excursion> Find(
        IReadOnlyList<TemperatureSample> series, AllowedRange range, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, int limit)
    {
        ArgumentNullException.ThrowIfNull(series);
        var found = new Queue<Excursion>();
        if (series.Count == 0 || from >= to || limit < 1)
        {
            return [];
        }

        // Start at the reading that holds at `from`, or further back to the start of the excursion it belongs to.
        var i = Math.Max(0, LastAtOrBefore(series, from));
        while (i > 0 && !range.Contains(series[i].Celsius) && !range.Contains(series[i - 1].Celsius))
        {
            i--;
        }

        var run = -1;
        for (; i < series.Count; i++)
        {
            var sample = series[i];
            var inside = range.Contains(sample.Celsius);
            if (run < 0)
            {
                if (sample.Time >= to)
                {
                    break;
                }

                if (!inside)
                {
                    run = i;
                }
            }
            else if (inside)
            {
                Add(found, Build(series, run, i, range, now), from, limit);
                run = -1;
            }
        }

        if (run >= 0)
        {
            Add(found, Build(series, run, series.Count, range, now), from, limit);
        }

        return [.. found];
    }

    private static void Add(Queue<Excursion> found, Excursion excursion, DateTimeOffset from, int limit)
    {
        // Only excursions still running at `from` or starting later; the caller's loop stops before `to`.
        if (excursion.WindowEnd > from || excursion.Ongoing)
        {
            found.Enqueue(excursion);
            if (found.Count > limit)
            {
                found.Dequeue();
            }
        }
    }

    /// <summary>The excursion of the readings [first, back); <paramref name="back"/> is the reading back in range, or the count.</summary>
    private static Excursion Build(IReadOnlyList<TemperatureSample> series, int first, int back, AllowedRange range, DateTimeOffset now)
    {
        var start = series[first].Time;
        DateTimeOffset? end = back < series.Count ? series[back].Time : null;
        var last = series[back - 1].Time;
        var close = end ?? (now > last ? now : last);
        var peak = series[first].Celsius;
        var intervals = new List<(TimeSpan, double)>(back - first);
        for (var j = first; j < back; j++)
        {
            var celsius = series[j].Celsius;
            if (Outside(celsius, range) > Outside(peak, range))
            {
                peak = celsius;
            }

            var next = j + 1 < back ? series[j + 1].Time : close;
            intervals.Add((next - series[j].Time, (double)celsius));
        }

        return new Excursion(start, end, close - start, peak, Mkt.Compute(intervals), back - first);
    }

    private static decimal Outside(decimal celsius, AllowedRange range) =>
        celsius > range.Upper ? celsius - range.Upper : celsius < range.Lower ? range.Lower - celsius : 0;

    /// <summary>Index of the last sample at or before <paramref name="time"/>, or −1.</summary>
    internal static int LastAtOrBefore(IReadOnlyList<TemperatureSample> series, DateTimeOffset time)
    {
        int lo = 0, hi = series.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (series[mid].Time <= time)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }
}
