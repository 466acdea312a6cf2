using BenchmarkDotNet.Attributes;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Rules;

namespace SupplyChain.Benchmarks.Micro;

/// <summary>
/// Rule evaluation: <see cref="CustodyRules.Apply"/> of a commissioning fact then a shipping fact (50 packs each) on a
/// fresh engine with the two devices enrolled. Applying the same facts twice is a different (red) path, so each operation
/// starts from a new engine; the <c>enrolments only</c> row is that fixed cost, to subtract.
/// </summary>
/// <remarks>Public and unsealed: BenchmarkDotNet derives its generated runner from the class.</remarks>
[MemoryDiagnoser]
public class RulesBenchmarks
{
    private DeviceEnrolled? makerDevice;
    private DeviceEnrolled? wholesalerDevice;
    private DeviceEventFact? commission;
    private DeviceEventFact? ship;

    [GlobalSetup]
    public void Setup()
    {
        makerDevice = Fixtures.Enrolment(Fixtures.Maker, SiteRole.Manufacturer);
        wholesalerDevice = Fixtures.Enrolment(Fixtures.Wholesaler, SiteRole.Wholesaler);
        var maker = new Fixtures.DeviceChain(Fixtures.Maker);
        var packs = Fixtures.PackUris(0, 50);
        commission = maker.Next(d => CustodyEvents.Commission(Fixtures.T0, d, Fixtures.Uri(Fixtures.Maker), packs, "LOT42A", Fixtures.Expires));
        ship = maker.Next(d => CustodyEvents.Ship(Fixtures.T0.AddHours(2), d, Fixtures.Uri(Fixtures.Maker), packs, Fixtures.Uri(Fixtures.Wholesaler)));
        if (!CommissionThenShip())
        {
            throw new InvalidOperationException("The benchmark facts are not green.");
        }
    }

    [Benchmark(Baseline = true, Description = "new CustodyRules + 2 enrolments only")]
    public int EnrolmentsOnly() => Enrolled().OpenRecalls.Count;

    [Benchmark(Description = "Apply(commission 50) + Apply(ship 50)")]
    public bool CommissionThenShip()
    {
        var rules = Enrolled();
        return rules.Apply(commission!).IsGreen & rules.Apply(ship!).IsGreen;
    }

    private CustodyRules Enrolled()
    {
        var rules = new CustodyRules();
        rules.Apply(makerDevice!);
        rules.Apply(wholesalerDevice!);
        return rules;
    }
}
