namespace SupplyChain.Agent.Station;

/// <summary>
/// Whether the wall clock is synchronised, for <c>ct:clockSynced</c> (DESIGN.md §2: a Pi has no RTC). systemd-timesyncd
/// creates <c>/run/systemd/timesync/synchronized</c> once it has synchronised the clock (systemd-timesyncd.service(8));
/// the file check is cheap enough to make per event. Stations whose time source signals otherwise set <c>Station:ClockSyncMarker</c>
/// to the path their own hook touches.
/// </summary>
internal sealed class ClockSync(string markerPath)
{
    public const string DefaultMarker = "/run/systemd/timesync/synchronized";

    public string MarkerPath { get; } = markerPath;

    public bool IsSynchronized() => File.Exists(MarkerPath);
}
