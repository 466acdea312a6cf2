using BenchmarkDotNet.Attributes;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Rules;

namespace SupplyChain.Benchmarks.Micro;

/// <summary>
/// Recall targeting: <see cref="Recalls.Select"/> of one lot of 100 packs among <see cref="Packs"/> packs commissioned
/// in lots of 100 through a real <see cref="CustodyRules"/> engine; once over the pack states as an array (the pure
/// selection), over <see cref="CustodyRules.Packs"/> (which also sorts every pack), and through
/// <see cref="CustodyRules.Select"/>, the path the hub's recall preview takes.
/// </summary>
/// <remarks>Public and unsealed: BenchmarkDotNet derives its generated runner from the class.</remarks>
[MemoryDiagnoser]
public class RecallBenchmarks
{
    private const int LotSize = 100;
    private CustodyRules? rules;
    private PackState[] states = [];
    private LotRecallScope? scope;

    [Params(100_000, 1_000_000)]
    public int Packs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        rules = new CustodyRules();
        rules.Apply(Fixtures.Enrolment(Fixtures.Maker, SiteRole.Manufacturer));
        var maker = new Fixtures.DeviceChain(Fixtures.Maker);
        for (var lot = 0; lot < Packs / LotSize; lot++)
        {
            var packs = Fixtures.PackUris(lot * LotSize, LotSize);
            var fact = maker.Next(d => CustodyEvents.Commission(Fixtures.T0.AddSeconds(lot), d, Fixtures.Uri(Fixtures.Maker), packs, $"LOT{lot:D6}", Fixtures.Expires));
            if (!rules.Apply(fact).IsGreen)
            {
                throw new InvalidOperationException($"Commissioning lot {lot} was not green.");
            }
        }

        states = [.. rules.Packs];
        scope = new LotRecallScope(Fixtures.Vaccine, $"LOT{Packs / LotSize / 2:D6}");
        if (Select() != LotSize || SelectFromSortedPacks() != LotSize || SelectFromEngine() != LotSize)
        {
            throw new InvalidOperationException("The recall does not select exactly one lot.");
        }
    }

    [Benchmark(Baseline = true, Description = "Recalls.Select (one lot, pack-state array)")]
    public int Select() => Recalls.Select(scope!, states).Count;

    [Benchmark(Description = "Recalls.Select (one lot, CustodyRules.Packs)")]
    public int SelectFromSortedPacks() => Recalls.Select(scope!, rules!.Packs).Count;

    /// <summary>What the hub's recall preview calls since the fix: filter the engine's packs, then sort the covered ones.</summary>
    [Benchmark(Description = "CustodyRules.Select (one lot)")]
    public int SelectFromEngine() => rules!.Select(scope!).Count;
}
