using System.Text.Json;
using System.Text.Json.Serialization;
using SupplyChain.Agent.Delivery;
using SupplyChain.Agent.Outbox;
using SupplyChain.Agent.Recalls;

namespace SupplyChain.Agent.Status;

/// <summary>
/// Everything <c>status</c>, <c>/status</c>, <c>/healthz</c> and <c>/metrics</c> report (DESIGN.md §5). From the running
/// agent every part is filled; read from the store of a stopped agent only <see cref="Outbox"/> and
/// <see cref="ClockSynced"/> are (<see cref="AgentRunning"/> false).
/// </summary>
internal sealed record AgentStatus(
    DateTimeOffset Time,
    bool AgentRunning,
    bool Healthy,
    string? Problem,
    OutboxStatus? Outbox,
    bool DeliveryEnabled,
    DeliverySnapshot? Delivery,
    bool ClockSynced,
    RecallStatus? Recalls,
    IReadOnlyList<SensorFaultCount>? SensorFaults,
    IReadOnlyList<RejectedEvent>? RejectedEvents = null);

/// <summary>An event the hub rejected for good (PROTOCOL.md §5.4), as status shows it: kept in the outbox, never resent.</summary>
internal sealed record RejectedEvent(long Seq, string EventId, string Kind, string Reason, DateTimeOffset? RejectedAt)
{
    /// <summary>The newest rejections the status shows.</summary>
    public const int Shown = 20;

    public static IReadOnlyList<RejectedEvent> Of(IEnumerable<RejectedEntry> entries) =>
        [.. entries.Select(e => new RejectedEvent(e.Seq, e.EventId.ToString(), e.Kind.ToString().ToLowerInvariant(), e.Reason, e.RejectedAt))];
}

/// <summary>The JSON form of <see cref="AgentStatus"/> (camelCase, nulls omitted), shared by the endpoint and the command.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(AgentStatus))]
[JsonSerializable(typeof(HealthAnswer))]
internal sealed partial class StatusJson : JsonSerializerContext;

/// <summary>The <c>/healthz</c> body.</summary>
internal sealed record HealthAnswer(string Status, string? Reason, DateTimeOffset Time);
