using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Contracts.Rules;

/// <summary>What kind of place a pack can be in (PROTOCOL.md §6.3).</summary>
public enum PlaceKind
{
    /// <summary>A site (GLN): its storage is monitored by the sensor assets reporting with that site as read point.</summary>
    Site = 1,

    /// <summary>A shipping container (SSCC): monitored by the sensor reports whose asset is that SSCC.</summary>
    Container = 2,
}

/// <summary>Where a pack was, as far as temperatures go: a site or a shipping container.</summary>
/// <param name="Kind">Site or container.</param>
/// <param name="Id">The GLN (13 digits) or SSCC (18 digits).</param>
public readonly record struct Place(PlaceKind Kind, string Id)
{
    /// <summary>The storage of a site.</summary>
    /// <param name="site">The site's GLN.</param>
    /// <returns>The place.</returns>
    public static Place Site(Gln site) => new(PlaceKind.Site, site.Value);

    /// <summary>A shipping container.</summary>
    /// <param name="container">The container's SSCC.</param>
    /// <returns>The place.</returns>
    public static Place Container(Sscc container) => new(PlaceKind.Container, container.Value);

    /// <inheritdoc/>
    public override string ToString() => Kind == PlaceKind.Site ? $"(414){Id}" : $"(00){Id}";
}

/// <summary>
/// A stretch of time a pack spent in one place. <see cref="Place"/> is <see langword="null"/> while it travels
/// without a monitored container: there are no readings, so that time counts as unknown.
/// </summary>
/// <param name="Place">Where, or <see langword="null"/> for unmonitored transport.</param>
/// <param name="From">When it arrived (inclusive).</param>
/// <param name="To">When it left (exclusive); <see langword="null"/> while it is still there.</param>
public readonly record struct Presence(Place? Place, DateTimeOffset From, DateTimeOffset? To)
{
    /// <summary>Whether this stretch overlaps the half-open window [<paramref name="from"/>, <paramref name="to"/>).</summary>
    /// <param name="from">Window start.</param>
    /// <param name="to">Window end (exclusive).</param>
    /// <returns>True if any instant of both lies in both.</returns>
    public bool Overlaps(DateTimeOffset from, DateTimeOffset to) => From < to && (To is not { } end || end > from);
}
