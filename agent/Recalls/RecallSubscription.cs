using SupplyChain.Agent.Delivery;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Agent.Recalls;

/// <summary>Hands the site's retained recall-list messages (PROTOCOL.md §5.6) from the delivery connection to the <see cref="RecallStore"/>.</summary>
internal sealed class RecallSubscription(Gln site, RecallStore store) : IDeliverySubscription
{
    public string Topic { get; } = ColdTraceTopic.SiteRecalls(site);

    public void OnMessage(ReadOnlyMemory<byte> payload) => store.Offer(payload.Span);
}
