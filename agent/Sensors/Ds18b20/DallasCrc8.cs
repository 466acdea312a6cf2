namespace SupplyChain.Agent.Sensors.Ds18b20;

/// <summary>
/// Dallas/Maxim 1-Wire CRC-8 (DS18B20 datasheet, "CRC Generation"; Maxim Application Note 27):
/// polynomial x^8 + x^5 + x^4 + 1 (0x31), processed LSB first (reflected 0x8C), initial value 0, no final XOR.
/// </summary>
internal static class DallasCrc8
{
    public static byte Compute(ReadOnlySpan<byte> data)
    {
        byte crc = 0;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (byte)((crc >> 1) ^ 0x8C) : (byte)(crc >> 1);
            }
        }

        return crc;
    }
}
