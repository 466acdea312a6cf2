using SupplyChain.Hub.Broker;

namespace SupplyChain.Hub.Tests;

public sealed class StartupBannerTests
{
    [Fact]
    public void BrokerLine_Embedded_NamesTheBoundPort()
    {
        var options = new BrokerOptions { Address = "127.0.0.1", Port = 0 };

        Assert.Equal("MQTT broker (embedded) listening on mqtt://127.0.0.1:41883", StartupBanner.BrokerLine(options, 41883));
    }

    [Fact]
    public void BrokerLine_ExternalWithTls_NamesTheBroker()
    {
        var options = new BrokerOptions { Mode = BrokerMode.External, External = { Host = "broker.example", Port = 8883, UseTls = true } };

        Assert.Equal("MQTT broker (external) at mqtts://broker.example:8883", StartupBanner.BrokerLine(options, 0));
    }

    [Fact]
    public void BrokerLine_Disabled_SaysNoDeviceCanConnect()
    {
        var options = new BrokerOptions { Enabled = false };

        Assert.Contains("disabled", StartupBanner.BrokerLine(options, 0), StringComparison.Ordinal);
    }
}
