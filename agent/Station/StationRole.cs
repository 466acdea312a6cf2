namespace SupplyChain.Agent.Station;

/// <summary>
/// What a station does with scans (DESIGN.md §5); configured as <c>Station:Role</c>, or as <c>Station:Roles</c> for a
/// station that serves several, switching between them on a mode barcode.
/// </summary>
internal enum StationRole
{
    /// <summary><c>commissioning</c>: one commissioning event per scanned pack (needs lot and expiry on the label).</summary>
    Commissioning,

    /// <summary><c>dock-out</c>: SSCC, destination GLN, packs, end code → one shipping event.</summary>
    DockOut,

    /// <summary><c>dock-in</c>: SSCC, sender GLN, packs, end code → one receiving event.</summary>
    DockIn,

    /// <summary><c>pharmacy</c>: one dispensing event per scanned pack.</summary>
    Pharmacy,

    /// <summary><c>storage</c>: a fridge or cold room; sensors only, no scanner.</summary>
    Storage,

    /// <summary><c>transport</c>: a vehicle or reefer container; sensors only, reported against the container SSCC.</summary>
    Transport,
}

/// <summary>The configuration names of <see cref="StationRole"/>.</summary>
internal static class StationRoles
{
    private static readonly (StationRole Role, string Name)[] Names =
    [
        (StationRole.Commissioning, "commissioning"),
        (StationRole.DockOut, "dock-out"),
        (StationRole.DockIn, "dock-in"),
        (StationRole.Pharmacy, "pharmacy"),
        (StationRole.Storage, "storage"),
        (StationRole.Transport, "transport"),
    ];

    public static string AllNames => string.Join(", ", Names.Select(n => n.Name));

    public static string Name(StationRole role) => Names.First(n => n.Role == role).Name;

    public static bool TryParse(string? text, out StationRole role)
    {
        foreach (var (candidate, name) in Names)
        {
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }

    /// <summary>Whether the role reads a barcode scanner.</summary>
    public static bool Scans(this StationRole role) => role is not (StationRole.Storage or StationRole.Transport);

    /// <summary>Whether scans are collected into a batch closed by the end code or the idle timeout.</summary>
    public static bool Batches(this StationRole role) => role is StationRole.DockOut or StationRole.DockIn;

    /// <summary>The roles that read a scanner, and so can share a station and have a mode barcode.</summary>
    public static IEnumerable<StationRole> Scanning => Names.Select(n => n.Role).Where(r => r.Scans());

    /// <summary>The mode barcode of a role when <c>Station:ModeCodes</c> names none: <c>MODE-</c> and the upper-case name.</summary>
    public static string DefaultModeCode(StationRole role) => "MODE-" + Name(role).ToUpperInvariant();

    /// <summary>
    /// The role whose hub device role a station with these roles is enrolled under: the hub lets only a manufacturer
    /// commission and only a pharmacy dispense (PROTOCOL.md §6), and docks ship and receive under either.
    /// </summary>
    public static StationRole EnrolledAs(IReadOnlyList<StationRole> roles)
    {
        ArgumentOutOfRangeException.ThrowIfZero(roles.Count);
        return roles.Contains(StationRole.Commissioning) ? StationRole.Commissioning
            : roles.Contains(StationRole.Pharmacy) ? StationRole.Pharmacy
            : roles[0];
    }
}
