using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Tests.Ingest;

public sealed class ChainRepairTests
{
    [Fact]
    public async Task Resend_EventLoggedButHeadNotSaved_DuplicateMovesTheHeadSoTheNextIsAccepted()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = new TestDevice("pharmacy-1");
        Assert.True((await hub.Service<DeviceEnrolment>().EnrollAsync(device.Enrolment(), CancellationToken.None)).IsSuccess);
        var first = device.Next(1);
        var second = device.Next(2);

        // What a crash between "sequenced" and "chain head saved" leaves behind: the event is in the log, the head is not.
        var logged = await hub.Service<LogSequencer>().AppendAsync(
            LogLeafKind.DeviceEvent, EnvelopeCodec.Encode(first), CancellationToken.None);
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
        await mqtt.PublishAsync(EventMessage.Encode(first));
        var resent = Assert.Single((await mqtt.NextAckAsync()).Acks);
        await mqtt.PublishAsync(EventMessage.Encode(second));
        var next = Assert.Single((await mqtt.NextAckAsync()).Acks);

        Assert.True(resent.Duplicate);
        Assert.Equal(logged.Index, resent.Index);
        Assert.Equal(AckStatus.Accepted, next.Status);
        Assert.False(next.Duplicate);
    }
}
