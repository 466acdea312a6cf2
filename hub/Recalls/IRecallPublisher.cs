namespace SupplyChain.Hub.Recalls;

/// <summary>
/// Where recall lists go (PROTOCOL.md §5.6): a retained message on a topic. The embedded broker today
/// (<see cref="EmbeddedRecallPublisher"/>); one method, the shape of a generic hub publisher, so an external-broker mode can
/// take its place.
/// </summary>
internal interface IRecallPublisher
{
    /// <summary>Publishes as the hub at QoS 1; throws <see cref="InvalidOperationException"/> when no broker is running.</summary>
    Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken);
}

/// <summary>Publishes into the hub's embedded broker, as the checkpoint publisher does.</summary>
internal sealed class EmbeddedRecallPublisher(Broker.EmbeddedBroker broker) : IRecallPublisher
{
    public Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken) =>
        broker.PublishAsync(topic, payload, retain, cancellationToken);
}
