using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Tests.Ingest;
using SupplyChain.Hub.Tests.Users;

namespace SupplyChain.Hub.Tests.Devices;

/// <summary>Station status reports (PROTOCOL.md §5.8) over the real embedded broker, as <c>/v1/devices/activity</c> shows them.</summary>
public sealed class DeviceStatusTests
{
    private static StationStatus Report(string device, long custody = 3, long sensor = 12) => new()
    {
        Device = device,
        Time = new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero),
        ClockSynced = false,
        CustodyBacklog = custody,
        SensorBacklog = sensor,
        OldestWaiting = new DateTimeOffset(2026, 11, 24, 7, 30, 0, TimeSpan.Zero),
        Rejected = 1,
        SensorFaults = [new StationSensorFaults { Sensor = "sht3x-0x44", Count = 7, LastFault = "bad_crc" }],
        AgentVersion = "1.4.0",
    };

    [Fact]
    public async Task Status_OwnTopic_ShownInActivityAndIsLastSeen()
    {
        await using var hub = await RunningHub.StartAsync();
        using var a = new TestDevice("device-a");
        await EnrollAsync(hub, a);
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, a, subscribe: false);
        using var auditor = ApiUser.Add(hub, "olga", "auditor");

        var reason = await mqtt.PublishAsync(StationStatus.Encode(Report(a.Id)), ColdTraceTopic.DeviceStatus(MqttDevice.DeviceIdOf(a.Id)));
        var answer = await auditor.Http.GetFromJsonAsync<JsonElement>("/v1/devices/activity");

        Assert.Equal(MqttClientPublishReasonCode.Success, reason);
        var device = Assert.Single(answer.GetProperty("devices").EnumerateArray(), d => d.GetProperty("id").GetString() == a.Id);
        var station = device.GetProperty("station");
        Assert.Equal(
            (3L, 12L, 1L, false, "1.4.0"),
            (station.GetProperty("custodyBacklog").GetInt64(), station.GetProperty("sensorBacklog").GetInt64(), station.GetProperty("rejected").GetInt64(),
                station.GetProperty("clockSynced").GetBoolean(), station.GetProperty("agentVersion").GetString()));
        Assert.Equal(DeviceDecision.FormatTime(Report(a.Id).OldestWaiting!.Value), station.GetProperty("oldestWaiting").GetString());
        Assert.Equal(DeviceDecision.FormatTime(Report(a.Id).Time), station.GetProperty("time").GetString());
        var fault = Assert.Single(station.GetProperty("sensorFaults").EnumerateArray());
        Assert.Equal(("sht3x-0x44", 7L, "bad_crc"), (fault.GetProperty("sensor").GetString(), fault.GetProperty("count").GetInt64(), fault.GetProperty("lastFault").GetString()));

        // No event accepted yet: last seen is the status report's arrival.
        Assert.Equal(station.GetProperty("reportedAt").GetString(), device.GetProperty("lastSeen").GetString());
    }

    [Fact]
    public async Task Status_NewerReport_ReplacesTheLast()
    {
        await using var hub = await RunningHub.StartAsync();
        using var a = new TestDevice("device-a");
        await EnrollAsync(hub, a);
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, a, subscribe: false);
        var topic = ColdTraceTopic.DeviceStatus(MqttDevice.DeviceIdOf(a.Id));

        await mqtt.PublishAsync(StationStatus.Encode(Report(a.Id, custody: 5)), topic);
        await mqtt.PublishAsync(StationStatus.Encode(Report(a.Id, custody: 0, sensor: 0)), topic);

        var report = hub.Service<DeviceStatusBoard>().Of(a.Id);
        Assert.Equal((0L, 0L), (report!.Status.CustodyBacklog, report.Status.SensorBacklog));
    }

    [Fact]
    public async Task Status_OnAnotherDevicesTopic_RefusedNotAuthorized()
    {
        await using var hub = await RunningHub.StartAsync();
        using var a = new TestDevice("device-a");
        using var b = new TestDevice("device-b");
        await EnrollAsync(hub, a, b);
        await using var mqttA = await MqttDevice.ConnectAsync(hub.BrokerPort, a, subscribe: false);

        var reason = await mqttA.PublishAsync(StationStatus.Encode(Report(b.Id)), ColdTraceTopic.DeviceStatus(MqttDevice.DeviceIdOf(b.Id)));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, reason);
        Assert.Null(hub.Service<DeviceStatusBoard>().Of(b.Id));
    }

    [Fact]
    public async Task Status_MalformedOversizedOrNamingAnotherDevice_IgnoredAndCounted()
    {
        await using var hub = await RunningHub.StartAsync();
        using var a = new TestDevice("device-a");
        using var b = new TestDevice("device-b");
        await EnrollAsync(hub, a, b);
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, a, subscribe: false);
        var topic = ColdTraceTopic.DeviceStatus(MqttDevice.DeviceIdOf(a.Id));
        var board = hub.Service<DeviceStatusBoard>();

        // The broker takes each (PUBACK success: the topic is the device's own); the hub drops them before the board.
        Assert.Equal(MqttClientPublishReasonCode.Success, await mqtt.PublishAsync("not json"u8.ToArray(), topic));
        Assert.Equal(MqttClientPublishReasonCode.Success, await mqtt.PublishAsync(Encoding.UTF8.GetBytes(new string(' ', StationStatus.MaxBytes + 1)), topic));
        Assert.Equal(MqttClientPublishReasonCode.Success, await mqtt.PublishAsync(StationStatus.Encode(Report(b.Id)), topic));

        Assert.Null(board.Of(a.Id));
        Assert.Null(board.Of(b.Id));
        Assert.Equal((2L, 1L), (board.Ignored(StatusOutcome.Malformed), board.Ignored(StatusOutcome.Foreign)));

        // The connection stays usable: a good report afterwards is taken.
        await mqtt.PublishAsync(StationStatus.Encode(Report(a.Id)), topic);
        Assert.NotNull(board.Of(a.Id));
    }

    [Fact]
    public async Task Offer_UnknownOrRevokedDevice_Ignored()
    {
        await using var hub = await RunningHub.StartAsync();
        using var a = new TestDevice("device-a");
        await EnrollAsync(hub, a);
        var revoked = await hub.Service<DeviceEnrolment>().RevokeAsync(a.Id, "stolen", "test", CancellationToken.None);
        Assert.True(revoked.IsSuccess, revoked.Error);
        var board = hub.Service<DeviceStatusBoard>();

        var fromRevoked = board.Offer(MqttDevice.DeviceIdOf(a.Id), StationStatus.Encode(Report(a.Id)));
        var fromUnknown = board.Offer(MqttDevice.DeviceIdOf("ghost"), StationStatus.Encode(Report("ghost")));

        Assert.Equal((StatusOutcome.UnknownDevice, StatusOutcome.UnknownDevice), (fromRevoked, fromUnknown));
        Assert.Equal(2, board.Ignored(StatusOutcome.UnknownDevice));
        Assert.Null(board.Of(a.Id));
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
