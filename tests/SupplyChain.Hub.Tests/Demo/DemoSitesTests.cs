using SupplyChain.Contracts.Gs1;
using SupplyChain.Hub.Demo;

namespace SupplyChain.Hub.Tests.Demo;

public sealed class DemoSitesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Identifiers_EveryGlnSsccAndGiai_ParseWithTheirCheckDigits()
    {
        Assert.All(DemoSites.Sites, s => Assert.True(Gln.TryParse(s.Gln, out _, out var why), $"{s.Name}: {why}"));
        Assert.True(Gtin.TryParse(DemoSites.Gtin, out _, out var reason), reason);
        Assert.True(Sscc.TryParse(DemoSites.Trailer, out _, out reason), reason);
        Assert.All(DemoSites.Stations.Where(s => s.AssetGiai is not null), s => Assert.True(Giai.TryParse(s.AssetGiai, out _, out var why), why));
        foreach (var cycle in new[] { 1, 2, 499_999, 500_000 })
        {
            Assert.True(Sscc.TryParse(DemoSites.Tote(cycle, 0), out _, out reason), reason);
            Assert.True(Sscc.TryParse(DemoSites.Tote(cycle, 1), out _, out reason), reason);
            Assert.NotEqual(DemoSites.Tote(cycle, 0), DemoSites.Tote(cycle, 1));
        }
    }

    [Fact]
    public void Tote_FirstCycle_IsTheSsccWithItsMod10CheckDigit()
    {
        // 0 9506000134 000002, check digit by GS1 GenSpecs §7.9.1, weights 3, 1, 3, … from the right:
        // 3·(2+0+0+4+1+0+6+5+0) + 1·(0+0+0+3+0+0+0+9) = 54 + 12 = 66 -> 4.
        Assert.Equal("095060001340000024", DemoSites.Tote(1, 0));
    }

    [Fact]
    public void Lot_CycleOf_RoundTripsAndIgnoresOtherLots()
    {
        Assert.Equal(42, DemoSites.CycleOf(DemoSites.Lot(42, 'B')));
        Assert.Null(DemoSites.CycleOf("LOTA25"));
        Assert.Null(DemoSites.CycleOf("L0000XA"));
    }

    [Fact]
    public void DigitalLink_Example_PutsLotAndSerialInThePathAndExpiryInTheQuery()
    {
        var example = new DemoExample("1. Safe to dispense", "S00001010", "L00001A", DemoSites.PharmacyOne, "verified true");

        Assert.Equal("(01)09506000134352(21)S00001010(10)L00001A(17)301231", example.Bracketed);
        // GS1 Digital Link standard §4: /01/{gtin}/10/{lot}/21/{serial} with the qualifiers in that order, other AIs as query.
        Assert.Equal("https://id.gs1.org/01/09506000134352/10/L00001A/21/S00001010?17=301231", example.DigitalLink(Now));
    }

    [Fact]
    public void Label_AsScanned_ParsesToTheSamePack()
    {
        var pack = new DemoPack("S00003007", "L00003A");
        var scan = Gs1Parser.Parse(pack.Label, Now);

        Assert.True(scan.IsSuccess, scan.Error?.Message);
        Assert.Equal(pack.Key.Serial, scan.Value!.Serial);
        Assert.Equal("L00003A", scan.Value.Lot!.Value.Value);
    }
}
