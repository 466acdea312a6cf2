using System.Buffers;
using System.Text;
using System.Text.Json;
using MQTTnet;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Verification;

namespace SupplyChain.IntegrationTests.Broker;

/// <summary>
/// The hub's external-broker mode against a real Mosquitto configured from firmware-config/mosquitto (DESIGN §4, issue
/// "hub" item 1–2): events in and acks out through the broker, the broker's ACL refusing impersonation, and the hub
/// rejecting it when a wrong ACL lets it through.
/// </summary>
public sealed class MosquittoExternalBrokerTests
{
    private const string Site = "9506000134383";

    [Fact]
    public async Task ExternalMode_EventFromDeviceThroughMosquitto_LoggedAndAcked()
    {
        await using var device = new BrokerDevice("pharmacy-1", Site);
        await using var hub = await ExternalHub.StartAsync([device]);
        Assert.Equal(MqttClientConnectResultCode.Success, await device.ConnectAsync(hub.Broker.Port));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await device.SubscribeAsync(ColdTraceTopic.DeviceAcks(device.Device)));

        var envelope = device.Next();
        var puback = await device.PublishAsync(ColdTraceTopic.DeviceEvents(device.Device), EventMessage.Encode(envelope));
        var ack = Assert.Single((await device.NextAckAsync()).Acks);

        Assert.Equal(MqttClientPublishReasonCode.Success, puback);
        Assert.Equal(AckStatus.Accepted, ack.Status);
        Assert.Equal(envelope.EventId.ToString(), ack.EventId);
        Assert.Equal(hub.Service<LogReader>().IndexOfDeviceEvent(envelope), ack.Index);
    }

    [Fact]
    public async Task ExternalMode_HubThroughTheShippedTlsListenerWithCaFile_EventLoggedAndAcked()
    {
        await using var device = new BrokerDevice("pharmacy-1", Site);
        await using var hub = await ExternalHub.StartAsync([device], tls: true);
        Assert.Equal(MqttClientConnectResultCode.Success, await device.ConnectAsync(hub.Broker.Port));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await device.SubscribeAsync(ColdTraceTopic.DeviceAcks(device.Device)));

        var envelope = device.Next();
        await device.PublishAsync(ColdTraceTopic.DeviceEvents(device.Device), EventMessage.Encode(envelope));
        var ack = Assert.Single((await device.NextAckAsync()).Acks);

        Assert.NotNull(hub.Broker.TlsPort);
        Assert.Equal(AckStatus.Accepted, ack.Status);
        Assert.Equal(hub.Service<LogReader>().IndexOfDeviceEvent(envelope), ack.Index);
    }

    [Fact]
    public async Task Mosquitto_DevicePublishesOnAnotherDevicesEventsTopic_RefusedByTheAclAndNothingLogged()
    {
        await using var attacker = new BrokerDevice("pharmacy-a", Site);
        await using var victim = new BrokerDevice("pharmacy-b", Site);
        await using var hub = await ExternalHub.StartAsync([attacker, victim]);
        Assert.Equal(MqttClientConnectResultCode.Success, await attacker.ConnectAsync(hub.Broker.Port));
        Assert.Equal(MqttClientConnectResultCode.Success, await victim.ConnectAsync(hub.Broker.Port));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await victim.SubscribeAsync(ColdTraceTopic.DeviceAcks(victim.Device)));

        var envelope = attacker.Next(claimedDevice: victim.Id);
        var puback = await attacker.PublishAsync(ColdTraceTopic.DeviceEvents(victim.Device), EventMessage.Encode(envelope));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, puback);
        Assert.True(await victim.NothingWithinAsync(TimeSpan.FromSeconds(1)));
        Assert.Null(hub.Service<LogReader>().IndexOfDeviceEvent(envelope));
    }

    [Fact]
    public async Task ExternalMode_StatusReportsThroughMosquitto_OwnKeptAnotherDevicesRefusedByTheAcl()
    {
        await using var attacker = new BrokerDevice("pharmacy-a", Site);
        await using var victim = new BrokerDevice("pharmacy-b", Site);
        await using var hub = await ExternalHub.StartAsync([attacker, victim]);
        Assert.Equal(MqttClientConnectResultCode.Success, await attacker.ConnectAsync(hub.Broker.Port));
        Assert.Equal(MqttClientConnectResultCode.Success, await victim.ConnectAsync(hub.Broker.Port));
        var board = hub.Service<SupplyChain.Hub.Devices.DeviceStatusBoard>();

        var own = await victim.PublishAsync(ColdTraceTopic.DeviceStatus(victim.Device), StationStatus.Encode(StatusOf(victim.Id, 2)), retain: true);
        var forged = await attacker.PublishAsync(ColdTraceTopic.DeviceStatus(victim.Device), StationStatus.Encode(StatusOf(victim.Id, 999)), retain: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (board.Of(victim.Id) is null)
        {
            await Task.Delay(50, timeout.Token);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500));

        Assert.Equal((MqttClientPublishReasonCode.Success, MqttClientPublishReasonCode.NotAuthorized), (own, forged));
        Assert.Equal(2, board.Of(victim.Id)!.Status.CustodyBacklog);
        Assert.Null(board.Of(attacker.Id));
    }

    private static StationStatus StatusOf(string device, long custody) => new()
    {
        Device = device,
        Time = new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero),
        ClockSynced = true,
        CustodyBacklog = custody,
        SensorBacklog = 0,
        Rejected = 0,
        SensorFaults = [],
        AgentVersion = "1.4.0",
    };

    [Fact]
    public async Task ExternalMode_AclLetsImpersonationThrough_HubRejectsUnknownKeyToTheVictimOnly()
    {
        await using var attacker = new BrokerDevice("pharmacy-a", Site);
        await using var victim = new BrokerDevice("pharmacy-b", Site);
        // A wrong ACL: the attacker may write the victim's events topic and read its acks.
        var hole = "user pharmacy-a\ntopic write coldtrace/v1/devices/pharmacy-b/events\n";
        await using var hub = await ExternalHub.StartAsync([attacker, victim], extraAcl: hole);
        Assert.Equal(MqttClientConnectResultCode.Success, await attacker.ConnectAsync(hub.Broker.Port));
        Assert.Equal(MqttClientConnectResultCode.Success, await victim.ConnectAsync(hub.Broker.Port));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await victim.SubscribeAsync(ColdTraceTopic.DeviceAcks(victim.Device)));
        await attacker.SubscribeAsync(ColdTraceTopic.DeviceAcks(victim.Device));

        var envelope = attacker.Next(claimedDevice: victim.Id);
        var puback = await attacker.PublishAsync(ColdTraceTopic.DeviceEvents(victim.Device), EventMessage.Encode(envelope));
        var ack = Assert.Single((await victim.NextAckAsync()).Acks);

        Assert.Equal(MqttClientPublishReasonCode.Success, puback);
        Assert.Equal(AckStatus.Rejected, ack.Status);
        Assert.Equal(RejectReason.UnknownKey, ack.Reason);
        Assert.Null(hub.Service<LogReader>().IndexOfDeviceEvent(envelope));
        Assert.True(await attacker.NothingWithinAsync(TimeSpan.FromMilliseconds(500)), "the attacker must not read the victim's acks");
    }

    [Fact]
    public async Task Export_UserNotEnrolled_PrunedFromPasswordFileAndRefusedByMosquitto()
    {
        await using var device = new BrokerDevice("pharmacy-1", Site);
        await using var ghost = new BrokerDevice("ghost-1", Site);
        await using var hub = await ExternalHub.StartAsync([device], beforeExport: directory => Mosquitto.AddUserAsync(directory, ghost.Id, ghost.Password));

        var passwords = await File.ReadAllTextAsync(hub.Broker.PasswordFile);

        Assert.DoesNotContain("ghost-1:", passwords, StringComparison.Ordinal);
        Assert.Contains("pharmacy-1:$7$", passwords, StringComparison.Ordinal);
        Assert.NotEqual(MqttClientConnectResultCode.Success, await ghost.ConnectAsync(hub.Broker.Port));
        Assert.Equal(MqttClientConnectResultCode.Success, await device.ConnectAsync(hub.Broker.Port));
    }

    [Fact]
    public async Task ExternalMode_VerifyRequestThroughMosquitto_AnsweredOnOwnAnswersTopicWithCorrelation()
    {
        await using var device = new BrokerDevice("pharmacy-1", Site);
        await using var hub = await ExternalHub.StartAsync([device]);
        Assert.Equal(MqttClientConnectResultCode.Success, await device.ConnectAsync(hub.Broker.Port));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await device.SubscribeAsync(ColdTraceTopic.DeviceAnswers(device.Device)));

        var request = Encoding.UTF8.GetBytes("{\"scan\":\"]d201095060001343521730123110ABC\\u001d21NOSUCHSERIAL\"}");
        var puback = await device.PublishAsync(ColdTraceTopic.DeviceVerify(device.Device), request, correlationData: [1, 2, 3]);
        var answer = await device.NextOnAsync(ColdTraceTopic.DeviceAnswers(device.Device));
        using var json = JsonDocument.Parse(answer.Payload.ToArray());

        Assert.Equal(MqttClientPublishReasonCode.Success, puback);
        Assert.Equal([1, 2, 3], answer.CorrelationData);
        Assert.Equal("200", Encoding.UTF8.GetString(answer.UserProperties.Single(p => p.Name == MqttVerification.StatusProperty).ValueBuffer.Span));
        Assert.False(json.RootElement.GetProperty("verified").GetBoolean());
        Assert.Equal("NOSUCHSERIAL", json.RootElement.GetProperty("serial").GetString());
        Assert.Contains("unknown_serial", json.RootElement.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task ExternalMode_RetainedCheckpoint_ReadByADeviceWithMosquittoSub()
    {
        await using var device = new BrokerDevice("pharmacy-1", Site);
        await using var hub = await ExternalHub.StartAsync([device]);
        var note = await CheckpointAsync(hub);

        var (exit, output) = await hub.Broker.SubscribeOnceAsync(device.Id, device.Password, ColdTraceTopic.CheckpointTopic);

        Assert.True(exit == 0, output);
        Assert.Equal(note.TrimEnd('\n'), output.TrimEnd('\n'));
    }

    [Fact]
    public async Task ExternalMode_MosquittoKilledAndRestarted_HubReconnectsRepublishesCheckpointAndIngests()
    {
        await using var device = new BrokerDevice("pharmacy-1", Site);
        await using var hub = await ExternalHub.StartAsync([device]);
        var note = await CheckpointAsync(hub);
        Assert.Equal(0, (await hub.Broker.SubscribeOnceAsync(device.Id, device.Password, ColdTraceTopic.CheckpointTopic)).Exit);

        // SIGKILL before Mosquitto's first autosave (mosquitto.conf: 10 s): its retained checkpoint is gone with it.
        await hub.Broker.RestartAsync();
        await Task.Delay(300);
        await hub.ConnectedAsync();
        var (exit, output) = await hub.Broker.SubscribeOnceAsync(device.Id, device.Password, ColdTraceTopic.CheckpointTopic);
        Assert.True(exit == 0, output);
        Assert.Equal(note.TrimEnd('\n'), output.TrimEnd('\n'));

        Assert.Equal(MqttClientConnectResultCode.Success, await device.ConnectAsync(hub.Broker.Port));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await device.SubscribeAsync(ColdTraceTopic.DeviceAcks(device.Device)));
        var envelope = device.Next();
        await device.PublishAsync(ColdTraceTopic.DeviceEvents(device.Device), EventMessage.Encode(envelope));
        var ack = Assert.Single((await device.NextAckAsync()).Acks);

        Assert.Equal(AckStatus.Accepted, ack.Status);
        Assert.Equal(hub.Service<LogReader>().IndexOfDeviceEvent(envelope), ack.Index);
    }

    /// <summary>The signed checkpoint covering the one enrolment, the last one while nothing else is logged.</summary>
    private static async Task<string> CheckpointAsync(ExternalHub hub)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (hub.Service<LogHead>().Current is not { Size: >= 1 })
        {
            await Task.Delay(20, timeout.Token);
        }

        return hub.Service<LogHead>().Current!.Note;
    }
}
