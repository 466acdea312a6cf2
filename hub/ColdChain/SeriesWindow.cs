using SupplyChain.Contracts.Events;

namespace SupplyChain.Hub.ColdChain;

/// <summary>The readings of one place in a window, thinned to a bounded number of points for a plot or an API answer.</summary>
/// <param name="Points">The readings, in time order; the first may lie before the window (it holds at its start).</param>
/// <param name="Total">How many readings the window holds.</param>
/// <param name="Thinned">Whether <paramref name="Points"/> keeps only each bucket's lowest and highest reading.</param>
internal sealed record SeriesWindow(IReadOnlyList<TemperatureSample> Points, int Total, bool Thinned)
{
    /// <summary>Most points an answer carries: 2 per bucket, 600 buckets (a reading every 30 s for 5 hours, unthinned).</summary>
    public const int MaxPoints = 1200;

    /// <summary>
    /// Copies the readings in [<paramref name="from"/>, <paramref name="to"/>) plus the one holding at
    /// <paramref name="from"/>. Above <paramref name="maxPoints"/> the window is cut into equal time buckets and each keeps
    /// its lowest and highest reading, so an excursion's peak stays on the plot.
    /// </summary>
    public static SeriesWindow Of(IReadOnlyList<TemperatureSample> series, DateTimeOffset from, DateTimeOffset to, int maxPoints = MaxPoints)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        var before = ExcursionFinder.LastAtOrBefore(series, from);
        var first = before >= 0 && series[before].Time == from ? before : before + 1;
        var end = first;
        while (end < series.Count && series[end].Time < to)
        {
            end++;
        }

        var total = end - first;
        var points = new List<TemperatureSample>();
        if (before >= 0 && series[before].Time < from)
        {
            points.Add(series[before]);
        }

        if (total + points.Count <= maxPoints)
        {
            for (var i = first; i < end; i++)
            {
                points.Add(series[i]);
            }

            return new SeriesWindow(points, total, Thinned: false);
        }

        var buckets = (maxPoints - points.Count) / 2;
        var width = (to - from).Ticks / buckets + 1;
        var cursor = first;
        for (var bucket = 0; bucket < buckets && cursor < end; bucket++)
        {
            var bucketEnd = from.AddTicks(width * (bucket + 1));
            int? low = null, high = null;
            for (; cursor < end && series[cursor].Time < bucketEnd; cursor++)
            {
                low = low is { } l && series[l].Celsius <= series[cursor].Celsius ? l : cursor;
                high = high is { } h && series[h].Celsius >= series[cursor].Celsius ? h : cursor;
            }

            if (low is { } lowIndex && high is { } highIndex)
            {
                points.Add(series[Math.Min(lowIndex, highIndex)]);
                if (lowIndex != highIndex)
                {
                    points.Add(series[Math.Max(lowIndex, highIndex)]);
                }
            }
        }

        return new SeriesWindow(points, total, Thinned: true);
    }
}
