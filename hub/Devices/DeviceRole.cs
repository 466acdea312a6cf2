namespace SupplyChain.Hub.Devices;

/// <summary>What a device does at its site (PROTOCOL.md §4.x "Hub decisions"); written lowercase on the wire and the CLI.</summary>
internal enum DeviceRole
{
    /// <summary>A packaging line that commissions serials.</summary>
    Manufacturer = 1,

    /// <summary>A warehouse or distributor station that ships and receives.</summary>
    Warehouse = 2,

    /// <summary>A pharmacy station that receives and dispenses.</summary>
    Pharmacy = 3,

    /// <summary>A temperature monitor for a fridge or container.</summary>
    Sensor = 4,
}

internal static class DeviceRoles
{
    public static string Name(DeviceRole role) => role.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out DeviceRole role)
    {
        foreach (var candidate in Enum.GetValues<DeviceRole>())
        {
            if (string.Equals(text, Name(candidate), StringComparison.Ordinal))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }
}
