using System.Buffers;
using System.Text;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.Ingest;

namespace SupplyChain.Hub.Tests.Broker;

public sealed class CheckpointPublisherTests
{
    [Fact]
    public async Task Subscribe_Checkpoint_GetsTheRetainedSignedNote()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = new TestDevice("pharmacy-1");
        Assert.True((await hub.Service<DeviceEnrolment>().EnrollAsync(device.Enrolment(), CancellationToken.None)).IsSuccess);
        var size = await hub.AppendAndIntegrateAsync(["one", "two"]);
        var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device, subscribe: false);

        await mqtt.SubscribeAsync(ColdTraceTopic.CheckpointTopic);
        MQTTnet.MqttApplicationMessage message;
        string note;
        do
        {
            message = await mqtt.NextOtherAsync();
            note = Encoding.UTF8.GetString(message.Payload.ToArray());
        }
        while (!note.Contains($"\n{size}\n", StringComparison.Ordinal));

        // Published once, it is retained: a device that subscribes later gets it at once (same client id: the first
        // connection goes away before the second takes the session).
        await mqtt.DisposeAsync();
        await using var late = await MqttDevice.ConnectAsync(hub.BrokerPort, device, subscribe: false);
        await late.SubscribeAsync(ColdTraceTopic.CheckpointTopic);
        var retained = await late.NextOtherAsync();

        Assert.Equal(ColdTraceTopic.CheckpointTopic, message.Topic);
        Assert.True(retained.Retain);
        var opened = Contracts.Ledger.SignedNote.Open(Encoding.UTF8.GetString(retained.Payload.ToArray()), [hub.Service<HubSigningKey>().Verifier]);
        Assert.True(opened.IsVerified);
    }
}
