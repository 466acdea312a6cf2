using SupplyChain.Contracts.Topics;

namespace SupplyChain.Hub.Ingest;

/// <summary>Where acks go: the hub's broker, embedded or external (<c>Broker.HubAckPublisher</c>, DESIGN §4).</summary>
internal interface IAckPublisher
{
    /// <summary>Publishes <paramref name="message"/> on <c>coldtrace/v1/devices/{device}/acks</c> at QoS 1.</summary>
    Task PublishAckAsync(DeviceId device, AckMessage message, CancellationToken cancellationToken);
}
