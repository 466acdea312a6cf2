using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Ingest;

namespace SupplyChain.Hub.Broker;

/// <summary>Acks on <c>coldtrace/v1/devices/{id}/acks</c> (PROTOCOL.md §5.3) through whichever broker the hub uses.</summary>
internal sealed class HubAckPublisher(IHubPublisher publisher) : IAckPublisher
{
    public Task PublishAckAsync(DeviceId device, AckMessage message, CancellationToken cancellationToken) =>
        publisher.PublishAsync(ColdTraceTopic.DeviceAcks(device), AckMessage.Encode(message), retain: false, cancellationToken);
}
