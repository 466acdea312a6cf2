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
    IReadOnlyList<SensorFaultCount>? SensorFaults);

/// <summary>The JSON form of <see cref="AgentStatus"/> (camelCase, nulls omitted), shared by the endpoint and the command.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(AgentStatus))]
[JsonSerializable(typeof(HealthAnswer))]
internal sealed partial class StatusJson : JsonSerializerContext;

/// <summary>The <c>/healthz</c> body.</summary>
internal sealed record HealthAnswer(string Status, string? Reason, DateTimeOffset Time);
