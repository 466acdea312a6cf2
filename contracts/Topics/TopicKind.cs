namespace SupplyChain.Contracts.Topics;

/// <summary>The ColdTrace MQTT topics (PROTOCOL.md §5).</summary>
public enum TopicKind
{
    /// <summary><c>coldtrace/v1/devices/{deviceId}/events</c>: agent → hub.</summary>
    DeviceEvents = 1,

    /// <summary><c>coldtrace/v1/devices/{deviceId}/acks</c>: hub → agent.</summary>
    DeviceAcks = 2,

    /// <summary><c>coldtrace/v1/sites/{gln}/recalls</c>: hub → site agents, retained.</summary>
    SiteRecalls = 3,

    /// <summary><c>coldtrace/v1/checkpoint</c>: the latest signed checkpoint, retained.</summary>
    Checkpoint = 4,

    /// <summary><c>coldtrace/v1/devices/{deviceId}/verify</c>: a device asks the hub to verify a scan (agent → hub).</summary>
    DeviceVerify = 5,

    /// <summary><c>coldtrace/v1/devices/{deviceId}/answers</c>: the hub's verification answers to that device (hub → agent).</summary>
    DeviceAnswers = 6,

    /// <summary><c>coldtrace/v1/devices/{deviceId}/status</c>: the station's backlog and faults (agent → hub, retained, PROTOCOL.md §5.8).</summary>
    DeviceStatus = 7,
}
