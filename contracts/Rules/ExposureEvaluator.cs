using SupplyChain.Contracts.Events;

namespace SupplyChain.Contracts.Rules;

/// <summary>
/// Joins a pack's presence with the readings of the places it was in and judges the result against a profile
/// (PROTOCOL.md §6.3). Pure: the same arguments always give the same report.
/// </summary>
public static class ExposureEvaluator
{
    /// <summary>Evaluates the exposure in [<paramref name="from"/>, <paramref name="until"/>).</summary>
    /// <param name="profile">The product's profile.</param>
    /// <param name="presence">Where the pack was, in time order.</param>
    /// <param name="readings">Readings per place, each list in time order.</param>
    /// <param name="from">Start of the exposure judged.</param>
    /// <param name="until">The time of evaluation: open presence and the last reading run to here.</param>
    /// <returns>The report.</returns>
    public static ExposureReport Evaluate(
        ColdChainProfile profile,
        IReadOnlyList<Presence> presence,
        IReadOnlyDictionary<Place, IReadOnlyList<TemperatureSample>> readings,
        DateTimeOffset from,
        DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(presence);
        ArgumentNullException.ThrowIfNull(readings);

        TimeSpan monitored = TimeSpan.Zero, outOfRange = TimeSpan.Zero, longest = TimeSpan.Zero, unknown = TimeSpan.Zero, run = TimeSpan.Zero;
        DateTimeOffset? runEnd = null;
        var all = new List<(TimeSpan, double)>();
        var window = new List<(TimeSpan, double)>();
        var windowStart = until - profile.MktWindow;

        foreach (var stay in presence)
        {
            var start = Max(stay.From, from);
            var end = Min(stay.To ?? until, until);
            if (end <= start)
            {
                continue;
            }

            IReadOnlyList<TemperatureSample> samples = stay.Place is { } place && readings.TryGetValue(place, out var list) ? list : [];
            foreach (var (segStart, segEnd, value) in Segments(samples, start, end, until, profile.MaxReadingGap))
            {
                var length = segEnd - segStart;
                if (value is not { } celsius)
                {
                    unknown += length;
                    runEnd = null;
                    continue;
                }

                monitored += length;
                all.Add((length, (double)celsius));
                var inWindow = Min(segEnd, until) - Max(segStart, windowStart);
                if (inWindow > TimeSpan.Zero)
                {
                    window.Add((inWindow, (double)celsius));
                }

                if (profile.InRange(celsius))
                {
                    runEnd = null;
                    continue;
                }

                outOfRange += length;
                run = runEnd == segStart ? run + length : length;
                runEnd = segEnd;
                longest = Max(longest, run);
            }
        }

        var mkt = Mkt.Compute(all);
        var windowMkt = Mkt.Compute(window);
        var breaches = new List<ColdChainBreach>();
        if (outOfRange > profile.AllowedOutOfRange)
        {
            breaches.Add(ColdChainBreach.CumulativeOutOfRange);
        }

        if (longest > profile.MaxExcursion)
        {
            breaches.Add(ColdChainBreach.SingleExcursion);
        }

        if (profile.MktLimitCelsius is { } limit && windowMkt > limit)
        {
            breaches.Add(ColdChainBreach.MktOverLimit);
        }

        return new ExposureReport(from, until, monitored, outOfRange, longest, unknown, mkt, windowMkt, breaches, unknown > profile.AllowedUnknown);
    }

    /// <summary>
    /// The place's temperature as a step function clipped to [start, end): each reading holds until the next one
    /// (or until <paramref name="until"/> after the last), unless that gap exceeds <paramref name="maxGap"/>, in which
    /// case the whole gap is unknown; before the first reading is unknown.
    /// </summary>
    private static IEnumerable<(DateTimeOffset Start, DateTimeOffset End, decimal? Celsius)> Segments(
        IReadOnlyList<TemperatureSample> samples, DateTimeOffset start, DateTimeOffset end, DateTimeOffset until, TimeSpan maxGap)
    {
        var first = LastAtOrBefore(samples, start);
        if (first < 0)
        {
            var known = samples.Count == 0 ? end : Min(samples[0].Time, end);
            if (known > start)
            {
                yield return (start, known, null);
            }

            first = 0;
        }

        for (var i = first; i < samples.Count && samples[i].Time < end; i++)
        {
            var next = i + 1 < samples.Count ? samples[i + 1].Time : until;
            var segStart = Max(samples[i].Time, start);
            var segEnd = Min(next, end);
            if (segEnd > segStart)
            {
                yield return (segStart, segEnd, next - samples[i].Time <= maxGap ? samples[i].Celsius : null);
            }
        }
    }

    /// <summary>Index of the last sample at or before <paramref name="time"/>, or −1.</summary>
    private static int LastAtOrBefore(IReadOnlyList<TemperatureSample> samples, DateTimeOffset time)
    {
        int lo = 0, hi = samples.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (samples[mid].Time <= time)
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

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
