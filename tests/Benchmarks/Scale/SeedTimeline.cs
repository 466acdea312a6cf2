namespace SupplyChain.Benchmarks.Scale;

/// <summary>What a seeded event does.</summary>
internal enum SeedStep : byte
{
    Commission,
    ShipToWholesaler,
    ReceiveAtWholesaler,
    ShipToPharmacy,
    ReceiveAtPharmacy,
    SensorReport,
}

/// <summary>One seeded event before it is built: when, what, and the case (custody steps) or report number (sensors).</summary>
internal readonly record struct SeedEvent(long Ticks, SeedStep Step, int Site, long Number);

/// <summary>
/// The seeded events in time order, a window at a time (so 10 M events never sit in memory): each case of 50 packs is
/// commissioned, shipped 2 h later, received at the wholesaler a day later, shipped on after 3 days and received at the
/// pharmacy after 4; every site's fridge sensor sends a report of ten 1-minute readings every 10 minutes.
/// </summary>
internal sealed class SeedTimeline
{
    public static readonly TimeSpan ReportPeriod = TimeSpan.FromMinutes(SeedPopulation.SamplesPerReport);
    private static readonly TimeSpan[] Offsets = [TimeSpan.Zero, TimeSpan.FromHours(2), TimeSpan.FromDays(1), TimeSpan.FromDays(3), TimeSpan.FromDays(4)];

    private readonly SeedPopulation _population;
    private readonly long _caseSpacing;

    /// <param name="population">The sites.</param>
    /// <param name="packs">Packs to commission (rounded up to whole cases).</param>
    /// <param name="entries">Log entries wanted in all; sensor reports fill what custody events and enrolments leave.</param>
    /// <param name="end">When the last reading is taken; every event is before it.</param>
    public SeedTimeline(SeedPopulation population, long packs, long entries, DateTimeOffset end)
    {
        _population = population;
        Cases = (packs + SeedPopulation.CaseSize - 1) / SeedPopulation.CaseSize;
        var sensorEvents = Math.Max(population.Sites.Count, entries - population.Devices.Count - (Offsets.Length * Cases));
        ReportsPerSensor = sensorEvents / population.Sites.Count;
        var duration = ReportPeriod * ReportsPerSensor;
        Start = end - duration - TimeSpan.FromMinutes(1);

        // Cases are commissioned over the period less the 4 days the last one travels (half of it for short periods).
        var span = duration > TimeSpan.FromDays(8) ? duration - Offsets[^1] : duration / 2;
        _caseSpacing = Math.Max(TimeSpan.TicksPerMillisecond, span.Ticks / Math.Max(1, Cases));
        End = Start + TimeSpan.FromTicks(Math.Max((ReportsPerSensor * ReportPeriod.Ticks) + TimeSpan.TicksPerMinute, ((Cases - 1) * _caseSpacing) + Offsets[^1].Ticks + 1));
    }

    public long Cases { get; }

    public long Packs => Cases * SeedPopulation.CaseSize;

    public long ReportsPerSensor { get; }

    public DateTimeOffset Start { get; }

    public DateTimeOffset End { get; }

    /// <summary>Device events in all (enrolments not counted).</summary>
    public long Events => (Cases * Offsets.Length) + (ReportsPerSensor * _population.Sites.Count);

    public long Readings => ReportsPerSensor * _population.Sites.Count * SeedPopulation.SamplesPerReport;

    public DateTimeOffset CaseTime(long number) => Start + TimeSpan.FromTicks(number * _caseSpacing);

    /// <summary>The events in windows of about <paramref name="perWindow"/> events, each window sorted by time.</summary>
    public IEnumerable<List<SeedEvent>> Windows(int perWindow)
    {
        var length = Math.Max(TimeSpan.TicksPerSecond, (End - Start).Ticks / Math.Max(1, Events / perWindow));
        for (var from = Start.Ticks; from < End.Ticks; from += length)
        {
            var to = Math.Min(from + length, End.Ticks);
            var window = new List<SeedEvent>();
            for (var step = 0; step < Offsets.Length; step++)
            {
                var origin = Start.Ticks + Offsets[step].Ticks;
                for (var c = Math.Max(0, CeilDiv(from - origin, _caseSpacing)); c < Cases && origin + (c * _caseSpacing) < to; c++)
                {
                    window.Add(new SeedEvent(origin + (c * _caseSpacing), (SeedStep)step, SiteOf((SeedStep)step, c), c));
                }
            }

            for (var site = 0; site < _population.Sites.Count; site++)
            {
                // Report j covers minutes j·10 … j·10+9 and is sent a minute after its last reading, staggered by site.
                var origin = Start.Ticks + ReportPeriod.Ticks + (site * TimeSpan.TicksPerSecond);
                for (var j = Math.Max(0, CeilDiv(from - origin, ReportPeriod.Ticks)); j < ReportsPerSensor && origin + (j * ReportPeriod.Ticks) < to; j++)
                {
                    window.Add(new SeedEvent(origin + (j * ReportPeriod.Ticks), SeedStep.SensorReport, site, j));
                }
            }

            window.Sort((a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Step.CompareTo(b.Step));
            yield return window;
        }
    }

    /// <summary>The site of a case's step: its lot's manufacturer, then a wholesaler and a pharmacy chosen by the case.</summary>
    public int SiteOf(SeedStep step, long number) => step switch
    {
        SeedStep.Commission or SeedStep.ShipToWholesaler => (int)(number / (SeedPopulation.LotSize / SeedPopulation.CaseSize) % _population.Manufacturers.Count),
        SeedStep.ReceiveAtWholesaler or SeedStep.ShipToPharmacy => _population.Manufacturers.Count + (int)(number % _population.Wholesalers.Count),
        _ => _population.Manufacturers.Count + _population.Wholesalers.Count + (int)(number % _population.Pharmacies.Count),
    };

    private static long CeilDiv(long a, long b) => a <= 0 ? -(-a / b) : ((a - 1) / b) + 1;
}
