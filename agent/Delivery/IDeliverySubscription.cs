namespace SupplyChain.Agent.Delivery;

/// <summary>
/// A topic besides the device's acks that the delivery connection subscribes to (e.g. the site's retained recall list,
/// PROTOCOL.md §5.6). Registered in DI; <see cref="DeliveryService"/> subscribes to every one on each connect and hands
/// it the messages on its topic. A refused subscription is logged and does not stop delivery.
/// </summary>
internal interface IDeliverySubscription
{
    /// <summary>The exact topic (no wildcards).</summary>
    string Topic { get; }

    /// <summary>A message arrived on <see cref="Topic"/> (retained ones too). Must not throw for bad payloads.</summary>
    void OnMessage(ReadOnlyMemory<byte> payload);
}
