using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Log;

namespace SupplyChain.IntegrationTests.Broker;

/// <summary>
/// firmware-config/mosquitto/bridge-site.conf.example for real: a device on a site Mosquitto, bridged over TLS to the
/// central Mosquitto the hub consumes from, gets its event logged and acked.
/// </summary>
public sealed class MosquittoBridgeTests
{
    private const string Site = "9506000134383";
    private const string BridgeUser = "bridge-9506000134383";
    private const string BridgePassword = "bridge-pa55word-for-tests";

    [Fact]
    public async Task Bridge_DeviceOnSiteBroker_EventReachesTheHubAndTheAckComesBack()
    {
        await using var device = new BrokerDevice("pharmacy-1", Site);
        var bridgeAcl = $"""
            user {BridgeUser}
            topic write coldtrace/v1/devices/{device.Id}/events
            topic write coldtrace/v1/devices/{device.Id}/verify
            topic read coldtrace/v1/devices/{device.Id}/acks
            topic read coldtrace/v1/devices/{device.Id}/answers
            topic read coldtrace/v1/sites/{Site}/recalls
            topic read coldtrace/v1/checkpoint
            """;
        await using var hub = await ExternalHub.StartAsync(
            [device], tls: true, localAcl: bridgeAcl, beforeExport: directory => Mosquitto.AddUserAsync(directory, BridgeUser, BridgePassword));

        // The site broker: the same shipped configuration and device ACL, plus the bridge example pointed at the central broker.
        var siteDirectory = Mosquitto.NewDirectory();
        await Mosquitto.AddUserAsync(siteDirectory, device.Id, device.Password);
        File.Copy(hub.Broker.AclFile, Path.Combine(siteDirectory, "acl"));
        var bridge = (await File.ReadAllTextAsync(Mosquitto.ShippedBridgeExample()))
            .Replace("<central.example.org>:8883", $"localhost:{hub.Broker.TlsPort}", StringComparison.Ordinal)
            .Replace("<the bridge's password>", BridgePassword, StringComparison.Ordinal)
            .Replace("/etc/mosquitto/certs/central-ca.crt", Path.Combine(hub.Broker.Directory, "ca.crt"), StringComparison.Ordinal);
        await using var siteBroker = await Mosquitto.StartAsync(siteDirectory, "\n" + bridge + "\n");

        Assert.Equal(MQTTnet.MqttClientConnectResultCode.Success, await device.ConnectAsync(siteBroker.Port));
        Assert.Equal(MQTTnet.MqttClientSubscribeResultCode.GrantedQoS1, await device.SubscribeAsync(ColdTraceTopic.DeviceAcks(device.Device)));
        var envelope = device.Next();
        EventAck? ack = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (ack is null)
        {
            // The bridge connects a moment after the site broker starts; until then the site broker has no subscriber
            // for the event, so the device resends as an agent would after its ack deadline.
            await device.PublishAsync(ColdTraceTopic.DeviceEvents(device.Device), EventMessage.Encode(envelope));
            try
            {
                ack = Assert.Single((await device.NextAckAsync(seconds: 2)).Acks);
            }
            catch (OperationCanceledException)
            {
                Assert.False(timeout.IsCancellationRequested, $"no ack through the bridge:\n{siteBroker.Log}\n{hub.Broker.Log}");
            }
        }

        Assert.Equal(AckStatus.Accepted, ack.Status);
        Assert.Equal(hub.Service<LogReader>().IndexOfDeviceEvent(envelope), ack.Index);
    }
}
