using System.Text;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Contracts.Rules;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Agent.Tests.Recalls;

/// <summary>Recall lists signed like the hub signs them (PROTOCOL.md §5.6), with a real Ed25519 note key.</summary>
internal sealed class SignedLists
{
    public const string SiteGln = "9506000134383";
    public const string OtherSiteGln = "9506000134376";
    public const string Gtin = "09506000134352";

    public NoteSigner Hub { get; } = NoteSigner.Generate("hub.coldtrace.test/log");

    public static Gln Site => Parse(SiteGln);

    public static Gln OtherSite => Parse(OtherSiteGln);

    /// <summary>A pack barcode as a scanner delivers it: GTIN, then serial last (no separator needed).</summary>
    public static string Scan(string serial) => $"01{Gtin}21{serial}";

    public static Gs1Scan Parsed(string serial)
    {
        var parsed = Gs1Parser.Parse(Scan(serial), new DateTimeOffset(2026, 11, 24, 4, 0, 0, TimeSpan.Zero));
        Assert.True(parsed.IsSuccess);
        return parsed.Value!;
    }

    /// <summary>The note for <paramref name="site"/> at <paramref name="version"/> listing each (serial, recall id), as UTF-8.</summary>
    public byte[] Note(long version, Gln site, params (string Serial, string RecallId)[] packs) => Note(Hub, version, site, packs);

    public static byte[] Note(NoteSigner signer, long version, Gln site, params (string Serial, string RecallId)[] packs)
    {
        Assert.True(Contracts.Gs1.Gtin.TryParse(Gtin, out var gtin, out _));
        var entries = packs.Select(p =>
        {
            Assert.True(Serial.TryParse(p.Serial, out var serial, out _));
            return new RecalledPack(new PackKey(gtin, serial), p.RecallId);
        }).ToList();
        var list = new RecallList(site, version, new DateTimeOffset(2026, 11, 24, 7, 0, 0, 123, TimeSpan.Zero), entries);
        return Encoding.UTF8.GetBytes(list.Sign(signer));
    }

    private static Gln Parse(string text)
    {
        Assert.True(Gln.TryParse(text, out var gln, out var reason), reason);
        return gln;
    }
}
