using MQTTnet;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Tests.Ingest;

namespace SupplyChain.Hub.Tests.Broker;

public sealed class BrokerConnectTests
{
    [Fact]
    public async Task Connect_EnrolledDeviceWithItsPassword_Succeeds()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = new TestDevice("pharmacy-1");
        Assert.True((await hub.Service<DeviceEnrolment>().EnrollAsync(device.Enrolment(), CancellationToken.None)).IsSuccess);

        Assert.Equal(MqttClientConnectResultCode.Success, await MqttDevice.TryConnectAsync(hub.BrokerPort, device.Id, device.Id, device.Password));
    }

    [Fact]
    public async Task Connect_UnknownClientId_RefusedNotAuthorized()
    {
        await using var hub = await RunningHub.StartAsync();

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await MqttDevice.TryConnectAsync(hub.BrokerPort, "stranger", "stranger", "some-password-123456"));
    }

    [Fact]
    public async Task Connect_WrongPassword_RefusedBadUserNameOrPassword()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = new TestDevice("pharmacy-1");
        await hub.Service<DeviceEnrolment>().EnrollAsync(device.Enrolment(), CancellationToken.None);

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await MqttDevice.TryConnectAsync(hub.BrokerPort, device.Id, device.Id, "not-the-password-at-all"));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await MqttDevice.TryConnectAsync(hub.BrokerPort, device.Id, device.Id, null));
    }

    [Fact]
    public async Task Connect_UserNameNotTheClientId_RefusedBadUserNameOrPassword()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = new TestDevice("pharmacy-1");
        await hub.Service<DeviceEnrolment>().EnrollAsync(device.Enrolment(), CancellationToken.None);

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await MqttDevice.TryConnectAsync(hub.BrokerPort, device.Id, "someone-else", device.Password));
    }

    [Fact]
    public async Task Revoke_ConnectedDevice_IsDisconnectedAndRefusedAfterwards()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = new TestDevice("pharmacy-1");
        await hub.Service<DeviceEnrolment>().EnrollAsync(device.Enrolment(), CancellationToken.None);
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
        var disconnected = new TaskCompletionSource<MqttClientDisconnectReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        mqtt.Client.DisconnectedAsync += args =>
        {
            disconnected.TrySetResult(args.Reason);
            return Task.CompletedTask;
        };

        var revoked = await hub.Service<DeviceEnrolment>().RevokeAsync(device.Id, "stolen", "test", CancellationToken.None);

        Assert.True(revoked.IsSuccess, revoked.Error);
        Assert.Equal(MqttClientDisconnectReason.NotAuthorized, await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await MqttDevice.TryConnectAsync(hub.BrokerPort, device.Id, device.Id, device.Password));
    }
}
