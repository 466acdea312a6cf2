using SupplyChain.Agent.Sensors.Ds18b20;

namespace SupplyChain.Agent.Tests.Sensors.Ds18b20;

/// <summary>A throwaway <c>/sys/bus/w1/devices</c> tree in a temp directory.</summary>
internal sealed class FakeW1Sysfs : IDisposable
{
    public FakeW1Sysfs()
    {
        Root = Directory.CreateTempSubdirectory("w1-").FullName;
    }

    public string Root { get; }

    /// <summary>Writes <c>{id}/w1_slave</c> exactly as given.</summary>
    public void WriteSlave(string id, string text)
    {
        Directory.CreateDirectory(Path.Combine(Root, id));
        File.WriteAllText(Path.Combine(Root, id, "w1_slave"), text);
    }

    /// <summary>Writes a w1_slave the way the kernel would for this scratchpad (first 8 bytes; the CRC is computed).</summary>
    public void WriteScratchpad(string id, params byte[] firstEight)
    {
        byte[] pad = [.. firstEight, DallasCrc8.Compute(firstEight)];
        WriteSlave(id, KernelText(pad));
    }

    public static string KernelText(byte[] pad)
    {
        var hex = string.Join(' ', pad.Select(b => b.ToString("x2"))) + " ";
        var crc = DallasCrc8.Compute(pad.AsSpan(0, 8));
        var raw = (short)(pad[0] | (pad[1] << 8));
        return $"{hex}: crc={crc:x2} {(crc == pad[8] ? "YES" : "NO")}\n{hex}t={raw * 1000 / 16}\n";
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
