using System.Text.Json.Serialization;

namespace SupplyChain.Contracts.Topics;

/// <summary>
/// The hub's answer for one event (PROTOCOL.md §5.3). Accepted: <see cref="Index"/>, <see cref="Verdict"/> and
/// <see cref="Duplicate"/> are set. Rejected: <see cref="Reason"/> is set and <see cref="Detail"/> may be.
/// </summary>
public sealed record EventAck
{
    /// <summary>The verdict of an event that is logged and not judged by any rule.</summary>
    public const string VerdictAccepted = "accepted";

    /// <summary>The verdict of a logged event that kept every rule (PROTOCOL.md §5.3, §6).</summary>
    public const string VerdictGreen = "green";

    /// <summary>The verdict of a logged event that broke a rule; <see cref="Detail"/> names the reasons.</summary>
    public const string VerdictRed = "red";

    /// <summary>The event id (PROTOCOL.md §3.5), 64 lowercase hex digits; absent when the envelope could not be read.</summary>
    [JsonPropertyName("eventId")]
    public string? EventId { get; init; }

    /// <summary>Accepted or rejected.</summary>
    [JsonPropertyName("status")]
    public required AckStatus Status { get; init; }

    /// <summary>The event's log index (accepted only).</summary>
    [JsonPropertyName("index")]
    public long? Index { get; init; }

    /// <summary>The hub's verdict on an accepted event: <see cref="VerdictGreen"/> or <see cref="VerdictRed"/> (or <see cref="VerdictAccepted"/> from a hub that judges nothing).</summary>
    [JsonPropertyName("verdict")]
    public string? Verdict { get; init; }

    /// <summary>True when the event was already in the log and <see cref="Index"/> is its existing index (accepted only).</summary>
    [JsonPropertyName("duplicate")]
    public bool? Duplicate { get; init; }

    /// <summary>A <see cref="RejectReason"/> code (rejected only).</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>The finer error name behind <see cref="Reason"/>, e.g. an <c>EnvelopeError</c> or <c>EventError</c> name.</summary>
    [JsonPropertyName("detail")]
    public string? Detail { get; init; }

    /// <summary>An accepted event.</summary>
    public static EventAck Accepted(string eventId, long index, bool duplicate, string verdict = VerdictAccepted) =>
        new() { EventId = eventId, Status = AckStatus.Accepted, Index = index, Verdict = verdict, Duplicate = duplicate };

    /// <summary>A rejected event.</summary>
    public static EventAck Rejected(string? eventId, string reason, string? detail = null) =>
        new() { EventId = eventId, Status = AckStatus.Rejected, Reason = reason, Detail = detail };
}
