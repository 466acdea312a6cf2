using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Contracts.Rules;

/// <summary>Which packs a recall covers (PROTOCOL.md §6.5).</summary>
public abstract record RecallScope
{
    private protected RecallScope()
    {
    }

    /// <summary>Whether the pack, with the history it has, falls in the scope.</summary>
    /// <param name="pack">The pack's current state, including where it has been.</param>
    /// <returns>True if recalled by this scope.</returns>
    public abstract bool Covers(PackState pack);
}

/// <summary>Every pack of one lot of one trade item.</summary>
/// <param name="Gtin">The trade item.</param>
/// <param name="Lot">The lot (exact, case-sensitive).</param>
public sealed record LotRecallScope(Gtin Gtin, string Lot) : RecallScope
{
    /// <inheritdoc/>
    public override bool Covers(PackState pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        return pack.Key.Gtin == Gtin && string.Equals(pack.Lot, Lot, StringComparison.Ordinal);
    }
}

/// <summary>A list of packs.</summary>
/// <param name="Packs">The packs.</param>
public sealed record SerialsRecallScope(IReadOnlyList<PackKey> Packs) : RecallScope
{
    /// <inheritdoc/>
    public override bool Covers(PackState pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        return Packs.Contains(pack.Key);
    }
}

/// <summary>Every pack that travelled in a shipping container.</summary>
/// <param name="Container">The container's SSCC.</param>
public sealed record ContainerRecallScope(Sscc Container) : RecallScope
{
    /// <inheritdoc/>
    public override bool Covers(PackState pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        var place = Place.Container(Container);
        return pack.Presence.Any(p => p.Place == place);
    }
}

/// <summary>Every pack that was at a place at any instant of [<paramref name="From"/>, <paramref name="To"/>), even partly.</summary>
/// <param name="Place">The site or container, e.g. the site whose fridge had an excursion.</param>
/// <param name="From">Window start (inclusive).</param>
/// <param name="To">Window end (exclusive).</param>
public sealed record ExposureRecallScope(Place Place, DateTimeOffset From, DateTimeOffset To) : RecallScope
{
    /// <inheritdoc/>
    public override bool Covers(PackState pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        return pack.Presence.Any(p => p.Place == Place && p.Overlaps(From, To));
    }
}
