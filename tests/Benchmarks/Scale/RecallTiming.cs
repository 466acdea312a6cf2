using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupplyChain.Benchmarks.Load;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.ColdChain;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Recalls;

namespace SupplyChain.Benchmarks.Scale;

/// <summary>How long one recall query took, over several runs, and how many packs it covered.</summary>
internal sealed record RecallFigure(string What, int Packs, int Sites, double P50Ms, double MaxMs, int Runs);

/// <summary>What <c>recall</c> measured on a seeded directory.</summary>
internal sealed record RecallResult(long Entries, long PacksKnown, long Readings, double ReplaySeconds, IReadOnlyList<RecallFigure> Figures, string LoadBefore, string LoadAfter);

/// <summary>
/// <c>coldtrace-bench recall</c>: recall targeting on a seeded data directory (the hub stopped) through the hub's own
/// code: the custody state is rebuilt from the log by <see cref="CustodyState"/> (what <c>CustodyReplay</c> does at
/// start), then each query runs as the recall preview endpoint runs it — <see cref="CustodyState.Read{T}"/> and
/// <see cref="RecallViews.Preview"/> (targeting, the sites to notify, every pack line) — and as bare targeting
/// (<see cref="CustodyRules.Select"/>). Scopes: one lot of 1,000 packs; an exposure window of 6 h at one pharmacy in the
/// middle of the period; and the excursion search over that pharmacy's whole series of readings.
/// </summary>
internal static class RecallTiming
{
    public static RecallResult Run(string directory, int runs, TextWriter progress)
    {
        var loadBefore = ProcessMeter.LoadAverage();
        var manifest = SeedManifest.Read(directory);
        using var population = new SeedPopulation();
        using var store = new LiteDbLogStore(Path.Combine(directory, "log.db"));
        var ledger = new RecallLedger();
        var custody = new CustodyState(store, Options.Create(new ColdChainOptions()), NullLogger<CustodyState>.Instance, [ledger]);
        progress.WriteLine($"replaying {manifest.Entries:N0} entries");
        var replay = Stopwatch.StartNew();
        custody.CatchUp();
        var replaySeconds = replay.Elapsed.TotalSeconds;
        var (packsKnown, readings) = custody.ReadApplied((rules, _) => ((long)rules.Packs.Count(), rules.Readings.Values.Sum(r => (long)r.Count)));

        var now = manifest.End.AddDays(1);
        var lot = new LotRecallScope(Gtin.TryParse(manifest.Gtin, out var gtin, out _) ? gtin : throw new InvalidDataException("GTIN"), SeedPopulation.Lot(manifest.Packs / 2));
        var pharmacy = population.Pharmacies[population.Pharmacies.Count / 2];
        var middle = manifest.Start + ((manifest.End - manifest.Start) / 2);
        var place = Place.Site(Gln.TryParse(pharmacy.Gln, out var gln, out _) ? gln : throw new InvalidDataException("GLN"));
        var exposure = new ExposureRecallScope(place, middle, middle.AddHours(6));
        var figures = new List<RecallFigure>
        {
            Time("lot (1,000 packs): CustodyRules.Select", runs, () => custody.Read((rules, _) => (rules.Select(lot).Count, 0))),
            Time("lot (1,000 packs): recall preview (RecallViews.Preview)", runs, () => custody.Read((rules, applied) => Preview(rules, ledger, lot, applied, now))),
            Time("exposure window 6 h at one pharmacy: CustodyRules.Select", runs, () => custody.Read((rules, _) => (rules.Select(exposure).Count, 0))),
            Time("exposure window 6 h at one pharmacy: recall preview", runs, () => custody.Read((rules, applied) => Preview(rules, ledger, exposure, applied, now))),
            Time("excursions in that pharmacy's whole series (ExcursionFinder, 2–8 °C)", runs, () => custody.Read((rules, _) =>
            {
                var series = rules.Readings[place];
                var found = ExcursionFinder.Find(series, new AllowedRange(2m, 8m, AllowedRange.DefaultReadingGap), manifest.Start, now, now, 100);
                return (series.Count, found.Count);
            })),
        };
        return new RecallResult(manifest.Entries, packsKnown, readings, replaySeconds, figures, loadBefore, ProcessMeter.LoadAverage());
    }

    private static (int Packs, int Sites) Preview(CustodyRules rules, RecallLedger ledger, RecallScope scope, long applied, DateTimeOffset now)
    {
        var preview = RecallViews.Preview(rules, ledger, scope, applied, now);
        return (preview.Packs, preview.SitesToNotify.Count);
    }

    private static RecallFigure Time(string what, int runs, Func<(int Packs, int Sites)> query)
    {
        var first = query();
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            var result = query();
            times[i] = clock.Elapsed.TotalMilliseconds;
            if (result != first)
            {
                throw new InvalidOperationException($"{what}: run {i} found {result}, the first run {first}.");
            }
        }

        Array.Sort(times);
        return new RecallFigure(what, first.Packs, first.Sites, times[runs / 2], times[^1], runs);
    }
}
