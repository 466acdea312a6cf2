using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Contracts.Tests.Topics;

public sealed class ColdTraceTopicTests
{
    private static DeviceId Device(string id)
    {
        Assert.True(DeviceId.TryParse(id, out var device, out var reason), reason);
        return device;
    }

    [Fact]
    public void Builders_Names_ArePinned()
    {
        Assert.True(Gln.TryParse("9506000134383", out var site, out _));

        Assert.Equal("coldtrace/v1/devices/pharmacy-7.scanner_1/events", ColdTraceTopic.DeviceEvents(Device("pharmacy-7.scanner_1")));
        Assert.Equal("coldtrace/v1/devices/pharmacy-7/acks", ColdTraceTopic.DeviceAcks(Device("pharmacy-7")));
        Assert.Equal("coldtrace/v1/devices/pharmacy-7/verify", ColdTraceTopic.DeviceVerify(Device("pharmacy-7")));
        Assert.Equal("coldtrace/v1/devices/pharmacy-7/answers", ColdTraceTopic.DeviceAnswers(Device("pharmacy-7")));
        Assert.Equal("coldtrace/v1/devices/pharmacy-7/status", ColdTraceTopic.DeviceStatus(Device("pharmacy-7")));
        Assert.Equal("coldtrace/v1/sites/9506000134383/recalls", ColdTraceTopic.SiteRecalls(site));
        Assert.Equal("coldtrace/v1/checkpoint", ColdTraceTopic.CheckpointTopic);
    }

    [Theory]
    [InlineData("coldtrace/v1/devices/pharmacy-7/events", TopicKind.DeviceEvents, "pharmacy-7", null)]
    [InlineData("coldtrace/v1/devices/a/acks", TopicKind.DeviceAcks, "a", null)]
    [InlineData("coldtrace/v1/devices/a/verify", TopicKind.DeviceVerify, "a", null)]
    [InlineData("coldtrace/v1/devices/a/answers", TopicKind.DeviceAnswers, "a", null)]
    [InlineData("coldtrace/v1/devices/a/status", TopicKind.DeviceStatus, "a", null)]
    [InlineData("coldtrace/v1/sites/9506000134383/recalls", TopicKind.SiteRecalls, null, "9506000134383")]
    [InlineData("coldtrace/v1/checkpoint", TopicKind.Checkpoint, null, null)]
    public void TryParse_EachTopic_KindAndIdAndRoundTrip(string name, TopicKind kind, string? device, string? site)
    {
        Assert.True(ColdTraceTopic.TryParse(name, out var topic, out var error));

        Assert.Equal(TopicError.None, error);
        Assert.Equal(kind, topic.Kind);
        Assert.Equal(device ?? string.Empty, topic.Device.Value);
        Assert.Equal(site ?? "0000000000000", topic.Site.Value);
        Assert.Equal(name, topic.Name);
    }

    [Theory]
    [InlineData("coldtrace/v1/devices/+/events", TopicError.Wildcard)]
    [InlineData("coldtrace/v1/devices/a/#", TopicError.Wildcard)]
    [InlineData("#", TopicError.Wildcard)]
    [InlineData("", TopicError.Wildcard)]
    [InlineData("coldtrace/v2/devices/a/events", TopicError.UnknownTopic)]
    [InlineData("Coldtrace/v1/devices/a/events", TopicError.UnknownTopic)]
    [InlineData("/coldtrace/v1/devices/a/events", TopicError.UnknownTopic)]
    [InlineData("coldtrace/v1/things/a/events", TopicError.UnknownTopic)]
    [InlineData("coldtrace/v1/devices/a/state", TopicError.UnknownTopic)]
    [InlineData("coldtrace/v1/checkpoint/", TopicError.UnknownTopic)]
    [InlineData("coldtrace/v1/devices/a/events/extra", TopicError.WrongLevels)]
    [InlineData("coldtrace/v1/devices/a/events/", TopicError.WrongLevels)]
    [InlineData("coldtrace/v1/devices/a", TopicError.WrongLevels)]
    [InlineData("coldtrace/v1/devices//events", TopicError.BadDeviceId)]
    [InlineData("coldtrace/v1/devices/a b/events", TopicError.BadDeviceId)]
    [InlineData("coldtrace/v1/devices/$hub/acks", TopicError.BadDeviceId)]
    [InlineData("coldtrace/v1/devices/ä/events", TopicError.BadDeviceId)]
    [InlineData("coldtrace/v1/sites/9506000134384/recalls", TopicError.BadSiteId)]
    [InlineData("coldtrace/v1/sites/ABC/recalls", TopicError.BadSiteId)]
    [InlineData("coldtrace/v1/sites/9506000134383/events", TopicError.UnknownTopic)]
    public void TryParse_AnythingElse_RejectedWithReason(string name, TopicError expected)
    {
        Assert.False(ColdTraceTopic.TryParse(name, out var topic, out var error));

        Assert.Equal(expected, error);
        Assert.Equal(default, topic);
    }

    [Fact]
    public void TryParse_DeviceIdOf64Characters_AcceptedAnd65Rejected()
    {
        var longest = new string('a', 64);

        Assert.True(ColdTraceTopic.TryParse($"coldtrace/v1/devices/{longest}/events", out var topic, out _));
        Assert.Equal(longest, topic.Device.Value);
        Assert.False(ColdTraceTopic.TryParse($"coldtrace/v1/devices/{longest}a/events", out _, out var error));
        Assert.Equal(TopicError.BadDeviceId, error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a+b")]
    [InlineData("a#")]
    [InlineData("é")]
    public void DeviceIdTryParse_OutsideTheCharacterSet_RejectedWithReason(string text)
    {
        Assert.False(DeviceId.TryParse(text, out var id, out var reason));
        Assert.Equal(default, id);
        Assert.NotEmpty(reason);
    }
}
