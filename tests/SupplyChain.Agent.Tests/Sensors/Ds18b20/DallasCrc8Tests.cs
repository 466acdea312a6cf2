using SupplyChain.Agent.Sensors.Ds18b20;

namespace SupplyChain.Agent.Tests.Sensors.Ds18b20;

public sealed class DallasCrc8Tests
{
    [Fact]
    public void Compute_ApplicationNote27RomCode_IsA2() =>
        // Maxim Application Note 27, worked example: family 02h, serial 0000_0001_B81C, CRC A2h (sent LSB first).
        Assert.Equal(0xA2, DallasCrc8.Compute([0x02, 0x1C, 0xB8, 0x01, 0x00, 0x00, 0x00]));

    [Theory]
    [InlineData(new byte[] { 0x72, 0x01, 0x4b, 0x46, 0x7f, 0xff, 0x0e, 0x10 }, 0x57)] // w1_slave example, 23.125 °C
    [InlineData(new byte[] { 0x50, 0x05, 0x4b, 0x46, 0x7f, 0xff, 0x0c, 0x10 }, 0x1c)] // power-on scratchpad, 85 °C
    public void Compute_KnownScratchpads_MatchTheirCrcByte(byte[] firstEight, int crc) =>
        Assert.Equal(crc, DallasCrc8.Compute(firstEight));

    [Fact]
    public void Compute_AllZero_IsZero() =>
        Assert.Equal(0, DallasCrc8.Compute(new byte[8]));
}
