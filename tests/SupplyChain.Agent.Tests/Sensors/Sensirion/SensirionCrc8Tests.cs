using SupplyChain.Agent.Sensors.Sensirion;

namespace SupplyChain.Agent.Tests.Sensors.Sensirion;

public sealed class SensirionCrc8Tests
{
    [Fact]
    public void Compute_DatasheetExampleBeef_Is92() =>
        // SHT3x-DIS datasheet §4.12 Table 19 and SHT4x datasheet §4.4: CRC(0xBEEF) = 0x92.
        Assert.Equal(0x92, SensirionCrc8.Compute([0xBE, 0xEF]));

    [Fact]
    public void Compute_Empty_IsInitialValue() =>
        Assert.Equal(0xFF, SensirionCrc8.Compute([]));

    [Fact]
    public void Compute_OneBitFlipped_Differs() =>
        Assert.NotEqual(SensirionCrc8.Compute([0xBE, 0xEF]), SensirionCrc8.Compute([0xBE, 0xEE]));
}
