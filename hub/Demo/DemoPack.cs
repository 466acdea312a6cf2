using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;

namespace SupplyChain.Hub.Demo;

/// <summary>A demo pack: its serial and lot, the product being <see cref="DemoSites.Gtin"/>.</summary>
internal sealed record DemoPack(string Serial, string Lot)
{
    /// <summary>What the scanner sends for the pack's DataMatrix.</summary>
    public string Label => DemoSites.Label(Serial, Lot);

    public PackKey Key =>
        Gtin.TryParse(DemoSites.Gtin, out var gtin, out var why) && Contracts.Gs1.Serial.TryParse(Serial, out var serial, out why)
            ? new PackKey(gtin, serial)
            : throw new InvalidOperationException($"demo pack {Serial}: {why}");
}
