using MQTTnet;
using MQTTnet.Protocol;

namespace SupplyChain.Hub.Broker;

/// <summary>
/// How the hub publishes, whichever broker it uses (DESIGN §4): <see cref="EmbeddedBroker"/> injects into its own broker,
/// <see cref="ExternalBroker"/> publishes as the hub's MQTT client. Acks, answers, the checkpoint and recall lists all go
/// through here, at QoS 1.
/// </summary>
internal interface IHubPublisher
{
    /// <summary>
    /// Raised when the hub's path to the broker is new (the embedded broker started, the external one reconnected), so
    /// publishers of retained topics publish again: a broker that restarted may have lost them (firmware-config/mosquitto).
    /// </summary>
    event EventHandler? Connected;

    /// <summary>Publishes <paramref name="message"/>; throws <see cref="InvalidOperationException"/> when the broker is not reachable now.</summary>
    Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken);

    /// <summary>Publishes <paramref name="payload"/> on <paramref name="topic"/> at QoS 1, retained or not.</summary>
    Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken) =>
        PublishAsync(
            new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload.ToArray())
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithRetainFlag(retain)
                .Build(),
            cancellationToken);
}
