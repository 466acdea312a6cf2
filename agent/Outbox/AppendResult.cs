using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Agent.Outbox;

internal enum AppendStatus
{
    /// <summary>Signed and committed to disk.</summary>
    Appended,

    /// <summary>The custody quota is full: nothing was stored and no sequence number was used.</summary>
    QuotaFull,

    /// <summary>The payload is larger than <c>EventCodec.MaxPayloadBytes</c>: nothing was stored.</summary>
    TooLarge,

    /// <summary>The data directory has less than <c>Outbox:MinFreeBytes</c> free, or a write failed for lack of space.</summary>
    DiskFull,

    /// <summary>The store failed for another reason (I/O error) and is closed until it can be reopened.</summary>
    Unavailable,
}

/// <summary>What <see cref="EventOutbox.Append"/> did. <see cref="Seq"/> and <see cref="EventId"/> are set only when appended.</summary>
internal readonly record struct AppendResult(AppendStatus Status, long Seq, EventId EventId, string? Reason)
{
    public bool IsAppended => Status == AppendStatus.Appended;

    public static AppendResult Appended(long seq, EventId eventId) => new(AppendStatus.Appended, seq, eventId, null);

    public static AppendResult Refused(AppendStatus status, string reason) => new(status, -1, EventId.None, reason);
}

/// <summary>
/// What <see cref="EventOutbox.AppendSensor"/> did: queued, and how many older reports it pushed out; or, when not
/// <paramref name="Stored"/> (disk full), the report itself counted as dropped.
/// </summary>
internal readonly record struct SensorAppendResult(int Dropped, long TotalGaps, bool Stored = true);

/// <summary>The hub accepted an event at a log index (PROTOCOL.md §5.3).</summary>
internal readonly record struct Acknowledgement(EventId EventId, long LogIndex);

/// <summary>The hub rejected an event for good, with the reason code (PROTOCOL.md §5.4).</summary>
internal readonly record struct Rejection(EventId EventId, string Reason);

/// <summary>
/// What <see cref="EventOutbox.MarkRejected(IReadOnlyList{Rejection})"/> did: how many pending events it marked rejected,
/// how many later events it re-signed onto a new chain, and the seq that chain starts at (null: no restart needed).
/// </summary>
internal readonly record struct RejectionResult(int Rejected, int Moved, long? RestartSeq);

/// <summary>A rejected event kept in the outbox for status: its seq, id, kind, the hub's reason and when it came.</summary>
internal sealed record RejectedEntry(long Seq, EventId EventId, OutboxKind Kind, string Reason, DateTimeOffset? RejectedAt);
