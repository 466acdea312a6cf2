using SupplyChain.Agent.Sensors.Sensirion;

namespace SupplyChain.Agent.Tests.Sensors.Sensirion;

/// <summary>Builds the six bytes an SHT sensor returns for given raw words.</summary>
internal static class ShtFrames
{
    public static byte[] Of(ushort rawTemperature, ushort rawHumidity)
    {
        byte[] t = [(byte)(rawTemperature >> 8), (byte)rawTemperature];
        byte[] rh = [(byte)(rawHumidity >> 8), (byte)rawHumidity];
        return [t[0], t[1], SensirionCrc8.Compute(t), rh[0], rh[1], SensirionCrc8.Compute(rh)];
    }
}
