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

        var tally = new Tally(profile, until - profile.MktWindow);
        foreach (var stay in presence)
        {
            var start = Max(stay.From, from);
            var end = Min(stay.To ?? until, until);
            if (end <= start)
            {
                continue;
            }

            IReadOnlyList<TemperatureSample> samples = stay.Place is { } place && readings.TryGetValue(place, out var list) ? list : [];
            AddStay(ref tally, samples, start, end, until, profile.MaxReadingGap);
        }

        var (monitored, outOfRange, longest, unknown) = (tally.Monitored, tally.OutOfRange, tally.Longest, tally.Unknown);
        var mkt = tally.All.Result;
        var windowMkt = tally.Window.Result;
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
    /// Adds the place's temperature over [start, end) as a step function: each reading holds until the next one (or
    /// until <paramref name="until"/> after the last), unless that gap exceeds <paramref name="maxGap"/>, in which case
    /// the whole gap is unknown; before the first reading is unknown.
    /// </summary>
    private static void AddStay(
        ref Tally tally, IReadOnlyList<TemperatureSample> samples, DateTimeOffset start, DateTimeOffset end, DateTimeOffset until, TimeSpan maxGap)
    {
        var first = LastAtOrBefore(samples, start);
        if (first < 0)
        {
            var known = samples.Count == 0 ? end : Min(samples[0].Time, end);
            if (known > start)
            {
                tally.Add(start, known, null);
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
                tally.Add(segStart, segEnd, next - samples[i].Time <= maxGap ? samples[i].Celsius : null);
            }
        }
    }

    /// <summary>Running totals over the pieces of the step function, in time order.</summary>
    private struct Tally(ColdChainProfile profile, DateTimeOffset windowStart)
    {
        public TimeSpan Monitored;
        public TimeSpan OutOfRange;
        public TimeSpan Longest;
        public TimeSpan Unknown;
        public Mkt.Accumulator All;
        public Mkt.Accumulator Window;
        private TimeSpan run;
        private DateTimeOffset? runEnd;

        public void Add(DateTimeOffset start, DateTimeOffset end, decimal? value)
        {
            var length = end - start;
            if (value is not { } celsius)
            {
                Unknown += length;
                runEnd = null;
                return;
            }

            Monitored += length;
            All.Add(length, (double)celsius);
            Window.Add(end - Max(start, windowStart), (double)celsius);
            if (profile.InRange(celsius))
            {
                runEnd = null;
                return;
            }

            // Out-of-range pieces that follow each other without a break in time are one excursion.
            OutOfRange += length;
            run = runEnd == start ? run + length : length;
            runEnd = end;
            Longest = Max(Longest, run);
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
