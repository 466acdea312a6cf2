using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Agent.Station;

/// <summary>GS1 Digital Link URIs as events carry them (PROTOCOL.md §2.1 "Identifiers"); values percent-encoded except RFC 3986 unreserved characters.</summary>
internal static class Identifiers
{
    private const string Base = "https://id.gs1.org";

    public static string Pack(Gtin gtin, Serial serial) => $"{Base}/01/{gtin.Value}/21/{Uri.EscapeDataString(serial.Value)}";

    public static string Container(Sscc sscc) => $"{Base}/00/{sscc.Value}";

    public static string Party(Gln gln) => $"{Base}/414/{gln.Value}";

    public static string Asset(Giai giai) => $"{Base}/8004/{Uri.EscapeDataString(giai.Value)}";
}
