using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Contracts.Rules;

/// <summary>Which packs a recall affects, and which sites must be told (PROTOCOL.md §6.5).</summary>
/// <param name="RecallId">The recall.</param>
/// <param name="Scope">Its scope.</param>
/// <param name="Packs">Affected packs, sorted.</param>
/// <param name="Sites">Sites holding an affected pack or expecting one in transit, sorted: their recall lists change.</param>
public sealed record RecallImpact(string RecallId, RecallScope Scope, IReadOnlyList<PackKey> Packs, IReadOnlyList<Gln> Sites);

/// <summary>Recall selection as pure functions over pack states (PROTOCOL.md §6.5).</summary>
public static class Recalls
{
    /// <summary>The packs a scope covers.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="packs">Every known pack.</param>
    /// <returns>The covered packs, sorted.</returns>
    public static IReadOnlyList<PackKey> Select(RecallScope scope, IEnumerable<PackState> packs)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(packs);
        return [.. packs.Where(scope.Covers).Select(p => p.Key).Order()];
    }

    /// <summary>
    /// The sites a set of packs concerns: each pack's custodian, plus the party it is shipped to while in transit.
    /// </summary>
    /// <param name="packs">The packs.</param>
    /// <returns>Distinct GLNs, sorted ordinally.</returns>
    public static IReadOnlyList<Gln> SitesOf(IEnumerable<PackState> packs)
    {
        ArgumentNullException.ThrowIfNull(packs);
        var sites = new SortedDictionary<string, Gln>(StringComparer.Ordinal);
        foreach (var pack in packs)
        {
            sites[pack.Custodian.Value] = pack.Custodian;
            if (pack.Lifecycle == PackLifecycle.InTransit && pack.ShippedTo is { } to)
            {
                sites[to.Value] = to;
            }
        }

        return [.. sites.Values];
    }
}
