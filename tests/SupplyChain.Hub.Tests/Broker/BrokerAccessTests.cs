using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Broker;
using SupplyChain.Hub.Devices;

namespace SupplyChain.Hub.Tests.Broker;

public sealed class BrokerAccessTests
{
    private static DeviceRecord Device(string id, string site)
    {
        Assert.True(DeviceId.TryParse(id, out var device, out _));
        Assert.True(Gln.TryParse(site, out var gln, out _));
        return new DeviceRecord(device, new byte[32], gln, DeviceRole.Pharmacy, "x", DateTimeOffset.UnixEpoch, 0);
    }

    [Theory]
    [InlineData("coldtrace/v1/devices/a/events", true)]
    [InlineData("coldtrace/v1/devices/a/verify", true)]
    [InlineData("coldtrace/v1/devices/b/events", false)]
    [InlineData("coldtrace/v1/devices/b/verify", false)]
    [InlineData("coldtrace/v1/devices/a/status", true)]
    [InlineData("coldtrace/v1/devices/b/status", false)]
    [InlineData("coldtrace/v1/devices/+/status", false)]
    [InlineData("coldtrace/v1/devices/a/answers", false)]
    [InlineData("coldtrace/v1/devices/a/acks", false)]
    [InlineData("coldtrace/v1/checkpoint", false)]
    [InlineData("coldtrace/v1/sites/9506000134383/recalls", false)]
    [InlineData("coldtrace/v1/devices/a/events/x", false)]
    [InlineData("anything", false)]
    public void MayPublish_OnlyOwnEventsVerifyAndStatusTopics(string topic, bool allowed) =>
        Assert.Equal(allowed, BrokerAccess.MayPublish(Device("a", "9506000134383").Id, topic));

    [Theory]
    [InlineData("coldtrace/v1/devices/a/acks", true)]
    [InlineData("coldtrace/v1/devices/a/answers", true)]
    [InlineData("coldtrace/v1/devices/b/answers", false)]
    [InlineData("coldtrace/v1/devices/a/verify", false)]
    [InlineData("coldtrace/v1/devices/a/status", false)]
    [InlineData("coldtrace/v1/sites/9506000134383/recalls", true)]
    [InlineData("coldtrace/v1/checkpoint", true)]
    [InlineData("coldtrace/v1/devices/b/acks", false)]
    [InlineData("coldtrace/v1/devices/a/events", false)]
    [InlineData("coldtrace/v1/sites/9506000134376/recalls", false)]
    [InlineData("coldtrace/v1/sites/+/recalls", false)]
    [InlineData("coldtrace/v1/#", false)]
    public void MaySubscribe_OwnAcksAnswersOwnSiteCheckpoint(string filter, bool allowed) =>
        Assert.Equal(allowed, BrokerAccess.MaySubscribe(Device("a", "9506000134383"), filter));
}
