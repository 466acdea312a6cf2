using MQTTnet;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Tests.Ingest;

namespace SupplyChain.Hub.Tests.Broker;

public sealed class BrokerAclTests
{
    [Fact]
    public async Task Publish_ToAnotherDevicesEventsTopic_RefusedNotAuthorized()
    {
        await using var hub = await RunningHub.StartAsync();
        using var a = new TestDevice("device-a");
        using var b = new TestDevice("device-b");
        await EnrollAsync(hub, a, b);
        await using var mqttA = await MqttDevice.ConnectAsync(hub.BrokerPort, a);
        await using var mqttB = await MqttDevice.ConnectAsync(hub.BrokerPort, b);

        var envelope = a.Next();
        var reason = await mqttA.PublishAsync(EventMessage.Encode(envelope), ColdTraceTopic.DeviceEvents(MqttDevice.DeviceIdOf(b.Id)));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, reason);
        Assert.True(await mqttB.NoAckWithinAsync(TimeSpan.FromMilliseconds(500)));
        Assert.Null(hub.Service<Hub.Log.LogReader>().IndexOfDeviceEvent(envelope));
    }

    [Fact]
    public async Task Publish_ToAnotherDevicesVerifyTopic_RefusedNotAuthorized()
    {
        await using var hub = await RunningHub.StartAsync();
        using var a = new TestDevice("device-a");
        using var b = new TestDevice("device-b");
        await EnrollAsync(hub, a, b);
        await using var mqttA = await MqttDevice.ConnectAsync(hub.BrokerPort, a);
        await using var mqttB = await MqttDevice.ConnectAsync(hub.BrokerPort, b);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await mqttB.SubscribeAsync(ColdTraceTopic.DeviceAnswers(MqttDevice.DeviceIdOf(b.Id))));

        var reason = await mqttA.PublishAsync("{\"scan\":\"]d20109506000134352215\"}"u8.ToArray(), ColdTraceTopic.DeviceVerify(MqttDevice.DeviceIdOf(b.Id)));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, reason);
        Assert.True(await mqttB.NoAckWithinAsync(TimeSpan.FromMilliseconds(500)));
        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => mqttB.NextOtherAsync().WaitAsync(quiet.Token));
    }

    [Theory]
    [InlineData("coldtrace/v1/devices/device-b/acks")]
    [InlineData("coldtrace/v1/devices/device-b/answers")]
    [InlineData("coldtrace/v1/devices/+/answers")]
    [InlineData("coldtrace/v1/devices/device-a/verify")]
    [InlineData("coldtrace/v1/devices/device-a/events")]
    [InlineData("coldtrace/v1/devices/+/acks")]
    [InlineData("coldtrace/v1/#")]
    [InlineData("#")]
    [InlineData("coldtrace/v1/sites/9506000134376/recalls")]
    [InlineData("$SYS/#")]
    public async Task Subscribe_OutsideOwnAcksSiteAndCheckpoint_RefusedNotAuthorized(string filter)
    {
        await using var hub = await RunningHub.StartAsync();
        using var a = new TestDevice("device-a");
        await EnrollAsync(hub, a);
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, a, subscribe: false);

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await mqtt.SubscribeAsync(filter));
    }

    [Theory]
    [InlineData("coldtrace/v1/devices/device-a/acks")]
    [InlineData("coldtrace/v1/devices/device-a/answers")]
    [InlineData("coldtrace/v1/sites/" + TestDevice.Site + "/recalls")]
    [InlineData("coldtrace/v1/checkpoint")]
    public async Task Subscribe_OwnAcksSiteRecallsOrCheckpoint_Granted(string filter)
    {
        await using var hub = await RunningHub.StartAsync();
        using var a = new TestDevice("device-a");
        await EnrollAsync(hub, a);
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, a, subscribe: false);

        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await mqtt.SubscribeAsync(filter));
    }

    private static async Task EnrollAsync(RunningHub hub, params TestDevice[] devices)
    {
        foreach (var device in devices)
        {
            var result = await hub.Service<DeviceEnrolment>().EnrollAsync(device.Enrolment(), CancellationToken.None);
            Assert.True(result.IsSuccess, result.Error);
        }
    }
}
