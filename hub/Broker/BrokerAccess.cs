using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;

namespace SupplyChain.Hub.Broker;

/// <summary>
/// The per-device topic rules (PROTOCOL.md §5.1): a device publishes only to its own events topic and subscribes only
/// to its own acks, its site's recalls and the checkpoint. Filters with wildcards name no single topic and are refused.
/// </summary>
internal static class BrokerAccess
{
    public static bool MayPublish(DeviceId device, string topic) =>
        ColdTraceTopic.TryParse(topic, out var parsed, out _)
        && parsed.Kind == TopicKind.DeviceEvents
        && parsed.Device == device;

    public static bool MaySubscribe(DeviceRecord device, string filter)
    {
        if (!ColdTraceTopic.TryParse(filter, out var parsed, out _))
        {
            return false;
        }

        return parsed.Kind switch
        {
            TopicKind.DeviceAcks => parsed.Device == device.Id,
            TopicKind.SiteRecalls => parsed.Site == device.Site,
            TopicKind.Checkpoint => true,
            _ => false,
        };
    }
}
