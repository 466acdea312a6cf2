using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.ColdChain;

namespace SupplyChain.Hub.Tests.ColdChain;

public sealed class PlaceTextTests
{
    [Theory]
    [InlineData("9506000134383", PlaceKind.Site, "9506000134383")]
    [InlineData("(414)9506000134383", PlaceKind.Site, "9506000134383")]
    [InlineData("https://id.gs1.org/414/9506000134383", PlaceKind.Site, "9506000134383")]
    [InlineData("106141411234567897", PlaceKind.Container, "106141411234567897")]
    [InlineData("(00)106141411234567897", PlaceKind.Container, "106141411234567897")]
    [InlineData("https://id.gs1.org/00/106141411234567897", PlaceKind.Container, "106141411234567897")]
    public void TryParse_GlnSsccOrDigitalLink_Place(string text, PlaceKind kind, string id)
    {
        Assert.True(PlaceText.TryParse(text, out var place, out var reason), reason);
        Assert.Equal(new Place(kind, id), place);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("9506000134384")]
    [InlineData("106141411234567890")]
    [InlineData("12345")]
    [InlineData("https://id.gs1.org/01/09506000134352/21/S1")]
    public void TryParse_Other_Reason(string? text)
    {
        Assert.False(PlaceText.TryParse(text, out _, out var reason));
        Assert.NotEmpty(reason);
    }
}
