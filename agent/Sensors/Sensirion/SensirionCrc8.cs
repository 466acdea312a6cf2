namespace SupplyChain.Agent.Sensors.Sensirion;

/// <summary>
/// The CRC-8 Sensirion puts after every 16-bit word (SHT3x-DIS datasheet §4.12, SHT4x datasheet §4.4):
/// polynomial 0x31 (x^8 + x^5 + x^4 + 1), MSB first, initial value 0xFF, no final XOR. CRC(0xBE, 0xEF) = 0x92.
/// </summary>
internal static class SensirionCrc8
{
    public static byte Compute(ReadOnlySpan<byte> data)
    {
        byte crc = 0xFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x80) != 0 ? (byte)((crc << 1) ^ 0x31) : (byte)(crc << 1);
            }
        }

        return crc;
    }
}
