using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;

namespace SupplyChain.Hub.Broker;

/// <summary>
/// The per-device topic rules (PROTOCOL.md §5.1): a device publishes only to its own events, verify and status topics and
/// subscribes only to its own acks and answers, its site's recalls and the checkpoint. Filters with wildcards name no
/// single topic and are refused. firmware-config/mosquitto/acl.example is the same table for Mosquitto.
/// </summary>
internal static class BrokerAccess
{
    public static bool MayPublish(DeviceId device, string topic) =>
        ColdTraceTopic.TryParse(topic, out var parsed, out _)
        && parsed.Kind is TopicKind.DeviceEvents or TopicKind.DeviceVerify or TopicKind.DeviceStatus
        && parsed.Device == device;

    /// <summary>True for a <c>…/devices/{id}/status</c> topic (PROTOCOL.md §5.8).</summary>
    public static bool IsStatusReport(string topic) =>
        ColdTraceTopic.TryParse(topic, out var parsed, out _) && parsed.Kind == TopicKind.DeviceStatus;

    /// <summary>True for a <c>…/devices/{id}/verify</c> topic (PROTOCOL.md §5.7).</summary>
    public static bool IsVerifyRequest(string topic) =>
        ColdTraceTopic.TryParse(topic, out var parsed, out _) && parsed.Kind == TopicKind.DeviceVerify;

    public static bool MaySubscribe(DeviceRecord device, string filter)
    {
        if (!ColdTraceTopic.TryParse(filter, out var parsed, out _))
        {
            return false;
        }

        return parsed.Kind switch
        {
            TopicKind.DeviceAcks or TopicKind.DeviceAnswers => parsed.Device == device.Id,
            TopicKind.SiteRecalls => parsed.Site == device.Site,
            TopicKind.Checkpoint => true,
            _ => false,
        };
    }
}
