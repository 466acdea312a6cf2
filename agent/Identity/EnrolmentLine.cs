using SupplyChain.Agent.Station;

namespace SupplyChain.Agent.Identity;

/// <summary>The hub command an operator runs to enrol this station's key (printed by <c>keygen</c> and <c>identity</c>).</summary>
internal static class EnrolmentLine
{
    public static string For(DeviceIdentity identity, string siteGln, StationRole role)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return $"hub devices enroll --id {identity.DeviceId} --key {identity.PublicKeyBase64} --site {siteGln} --role {HubRole(role)}";
    }

    /// <summary>
    /// The hub's device role for a station role (PROTOCOL.md §4.6 "Hub decisions"). The hub's rules check roles only where
    /// the law does: commissioning needs a manufacturer, dispensing a pharmacy; docks ship and receive under any role.
    /// </summary>
    public static string HubRole(StationRole role) => role switch
    {
        StationRole.Commissioning => "manufacturer",
        StationRole.Pharmacy => "pharmacy",
        StationRole.DockOut or StationRole.DockIn => "warehouse",
        StationRole.Storage or StationRole.Transport => "sensor",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown station role."),
    };
}
