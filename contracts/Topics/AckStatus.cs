using System.Text.Json.Serialization;

namespace SupplyChain.Contracts.Topics;

/// <summary>The hub's answer for one event (PROTOCOL.md §5.3).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AckStatus>))]
public enum AckStatus
{
    /// <summary>The event is in the log (<see cref="EventAck.Index"/>); the agent may drop it from its outbox.</summary>
    [JsonStringEnumMemberName("accepted")]
    Accepted = 1,

    /// <summary>The event was refused (<see cref="EventAck.Reason"/>); nothing was logged.</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected = 2,
}
