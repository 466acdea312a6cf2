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

    [Fact]
    public async Task Restart_HeadBehindEventsTheDeviceHoldsAcksFor_NextEventAcceptedNotHeldAsAGap()
    {
        // Found by HubKillTests' full run: SIGKILL after the log's commit and the acks, before the head store's write. The
        // device holds acks for seqs 0 and 1 and never sends them again; its seq 2 must follow them, not wait for them.
        var directory = Directory.CreateTempSubdirectory("coldtrace-hub-").FullName;
        using var device = new TestDevice("pharmacy-1");
        var events = new[] { device.Next(1), device.Next(2), device.Next(3) };
        await using (var hub = await RunningHub.StartAsync(directory))
        {
            Assert.True((await hub.Service<DeviceEnrolment>().EnrollAsync(device.Enrolment(), CancellationToken.None)).IsSuccess);
            foreach (var logged in events[..2])
            {
                await hub.Service<LogSequencer>().AppendAsync(LogLeafKind.DeviceEvent, EnvelopeCodec.Encode(logged), CancellationToken.None);
            }
        }

        await using (var hub = await RunningHub.StartAsync(directory, "--Ingest:GapTimeout=00:00:02"))
        {
            await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
            await mqtt.PublishAsync(EventMessage.Encode(events[2]));
            var ack = Assert.Single((await mqtt.NextAckAsync()).Acks);

            // The head store is written just after the acks go out.
            var heads = hub.Service<Hub.Ingest.IChainHeadStore>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (heads.Read(MqttDevice.DeviceIdOf(device.Id)) is not { Seq: 2 })
            {
                await Task.Delay(20, timeout.Token);
            }

            Assert.Equal((AckStatus.Accepted, false), (ack.Status, ack.Duplicate));
            Assert.Equal(new Hub.Ingest.ChainHead(2, events[2].EventId), heads.Read(MqttDevice.DeviceIdOf(device.Id)));
        }
    }
}
