using SupplyChain.Contracts.Rules;
using static SupplyChain.Contracts.Tests.Rules.Chain;

namespace SupplyChain.Contracts.Tests.Rules;

public sealed class PackKeyTests
{
    [Fact]
    public void TryParse_DigitalLinkOfPack_GtinAndSerial()
    {
        Assert.True(PackKey.TryParse("https://id.gs1.org/01/09506000134352/21/ABC123", out var pack, out var reason), reason);

        Assert.Equal("09506000134352", pack.Gtin.Value);
        Assert.Equal("ABC123", pack.Serial.Value);
    }

    [Fact]
    public void ToDigitalLink_SerialWithReservedCharacters_RoundTrips()
    {
        var pack = Pack("A/B%C&1");

        var uri = pack.ToDigitalLink();

        Assert.Equal("https://id.gs1.org/01/09506000134352/21/A%2FB%25C%261", uri);
        Assert.True(PackKey.TryParse(uri, out var back, out _));
        Assert.Equal(pack, back);
    }

    [Theory]
    [InlineData("https://id.gs1.org/01/09506000134352")]
    [InlineData("https://id.gs1.org/00/095060001343520017")]
    [InlineData("https://id.gs1.org/414/9506000134369")]
    [InlineData("https://id.gs1.org/01/09506000134353/21/ABC")]
    [InlineData("not a uri")]
    public void TryParse_NotASerializedPack_ReasonGiven(string uri)
    {
        Assert.False(PackKey.TryParse(uri, out var pack, out var reason));
        Assert.Equal(default, pack);
        Assert.NotEmpty(reason);
    }

    [Fact]
    public void CompareTo_OrdersByGtinThenSerialOrdinal()
    {
        PackKey[] packs = [Pack("b"), Pack("B", Tablets), Pack("a"), Pack("B")];

        Assert.Equal([Pack("B"), Pack("a"), Pack("b"), Pack("B", Tablets)], packs.Order());
    }
}
