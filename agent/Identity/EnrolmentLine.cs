using SupplyChain.Agent.Station;

namespace SupplyChain.Agent.Identity;

/// <summary>The hub command an operator runs to enrol this station's key (printed by <c>keygen</c> and <c>identity</c>).</summary>
internal static class EnrolmentLine
{
    public static string For(DeviceIdentity identity, string siteGln, StationRole role)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return $"hub devices enroll --id {identity.DeviceId} --key {identity.PublicKeyBase64} --site {siteGln} --role {StationRoles.Name(role)}";
    }
}
