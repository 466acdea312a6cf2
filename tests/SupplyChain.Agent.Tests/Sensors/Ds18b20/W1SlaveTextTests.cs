using SupplyChain.Agent.Sensors.Ds18b20;

namespace SupplyChain.Agent.Tests.Sensors.Ds18b20;

public sealed class W1SlaveTextTests
{
    [Fact]
    public void TryParse_KernelExample_ReadsEveryField()
    {
        Assert.True(W1SlaveText.TryParse("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n", out var text, out _));
        Assert.Equal(new byte[] { 0x72, 0x01, 0x4b, 0x46, 0x7f, 0xff, 0x0e, 0x10, 0x57 }, text.Scratchpad);
        Assert.Equal(0x57, text.KernelCrc);
        Assert.True(text.KernelCrcOk);
        Assert.Equal(23125, text.MilliCelsius);
    }

    [Fact]
    public void TryParse_NegativeTemperature_KeepsTheSign()
    {
        Assert.True(W1SlaveText.TryParse("5e ff 4b 46 7f ff 02 10 00 : crc=00 NO\n5e ff 4b 46 7f ff 02 10 00 t=-10125\n", out var text, out _));
        Assert.False(text.KernelCrcOk);
        Assert.Equal(-10125, text.MilliCelsius);
    }

    [Theory]
    [InlineData("")]
    [InlineData("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n")]
    [InlineData("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=")]
    [InlineData("72 01 4b 46 7f ff 0e 10 57 : crc=57 MAYBE\n72 01 4b 46 7f ff 0e 10 57 t=23125\n")]
    [InlineData("72 01 4b 46 7f ff 0e 10 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 t=23125\n")]
    [InlineData("72 01 4b 46 7f ff 0e 10 zz : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n")]
    [InlineData("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 1")]
    public void TryParse_PartialOrGarbled_Fails(string input)
    {
        Assert.False(W1SlaveText.TryParse(input, out _, out var error));
        Assert.NotEmpty(error);
    }
}
