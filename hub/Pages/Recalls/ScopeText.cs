using SupplyChain.Hub.Custody;

namespace SupplyChain.Hub.Pages.Recalls;

/// <summary>A recall scope in a line of words: "lot L1 of GTIN 09506000134352".</summary>
internal static class ScopeText
{
    public static string Of(RecallScopeWire scope) => scope.Type switch
    {
        RecallScopeWire.Lot => $"lot {scope.LotNumber} of GTIN {scope.Gtin}",
        RecallScopeWire.Serials => $"{scope.Packs?.Count ?? 0} named pack{(scope.Packs?.Count == 1 ? "" : "s")}",
        RecallScopeWire.Container => $"container {scope.Sscc}",
        RecallScopeWire.Exposure => $"kept at {(scope.Location is { } gln ? "site " + gln : "container " + scope.Sscc)} from {Short(scope.From)} to {Short(scope.To)} UTC",
        _ => scope.Type,
    };

    private static string Short(string? time) => time is { Length: >= 16 } t ? t[..16].Replace('T', ' ') : time ?? "?";
}
