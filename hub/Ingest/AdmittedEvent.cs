using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;
using EventId = SupplyChain.Contracts.Signing.EventId;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Hub.Ingest;

/// <summary>An event that passed every check up to the device chain: verified, well-formed, from the topic's device.</summary>
internal sealed record AdmittedEvent(DeviceId Device, Envelope Envelope, byte[] LeafBody, CustodyEvent Event)
{
    public EventId Id => Envelope.EventId;

    public DeviceStamp Stamp => Event.Device;
}
