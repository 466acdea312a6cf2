namespace SupplyChain.Agent.Sensors.Ds18b20;

/// <summary>Finds DS18B20s on the 1-Wire bus: the kernel names them <c>28-</c> followed by the 48-bit serial in hex (family code 0x28).</summary>
internal static class Ds18b20Discovery
{
    public const string FamilyPrefix = "28-";

    /// <summary>The ids of the DS18B20s under <paramref name="devicesRoot"/>, sorted; empty when the directory does not exist.</summary>
    public static IReadOnlyList<string> FindIds(string devicesRoot = Ds18b20Sensor.DefaultDevicesRoot)
    {
        if (!Directory.Exists(devicesRoot))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(devicesRoot, FamilyPrefix + "*")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)];
    }
}
