using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Agent.Outbox;

/// <summary>A signed event waiting for the hub: its chain position, id, kind, DSSE envelope bytes as stored, and how often this
/// process has handed it out for sending (kept in memory: counting sends must not cost a disk write).</summary>
internal sealed record OutboxEntry(long Seq, EventId EventId, OutboxKind Kind, ReadOnlyMemory<byte> Envelope, DateTimeOffset Created, int Attempts)
{
    /// <summary>
    /// The event's <c>prev</c> is all zeros: it begins a chain (the first event of a store, or a restart after a final
    /// rejection, PROTOCOL.md §5.5). The hub takes it as a restart only when everything before it is in, so delivery
    /// sends it only once every earlier event is answered.
    /// </summary>
    public bool StartsChain { get; init; }

    /// <summary>
    /// The outbox encoded <see cref="Envelope"/> itself from the stored payload and signature, so the bytes are an envelope
    /// by construction. False for bytes read as an agent before format 1 stored them, which delivery checks before sending.
    /// </summary>
    public bool EncodedByOutbox { get; init; }
}

/// <summary>What <c>coldtrace-agent status</c> and the health service report about the outbox.</summary>
internal sealed record OutboxStatus(
    long PendingCustody,
    long PendingSensor,
    long QueuedSensor,
    long Rejected,
    long Gaps,
    long NextSeq,
    long ChainStart,
    DateTimeOffset? OldestUnacked,
    long? LastAckSeq,
    long? LastAckLogIndex,
    DateTimeOffset? LastAckAt,
    string? RecoveredFrom,
    DateTimeOffset? RecoveredAt)
{
    /// <summary>
    /// Set while the store takes no new events (<c>disk_full: …</c> below <c>Outbox:MinFreeBytes</c>, or
    /// <c>outbox_unavailable: …</c>); while it is closed after a write failure the other figures are the last ones read.
    /// </summary>
    public string? Unavailable { get; init; }

    /// <summary>Sensor reports waiting in any form: chained and in flight, or queued.</summary>
    public long SensorBacklog => PendingSensor + QueuedSensor;

    public TimeSpan? OldestUnackedAge(DateTimeOffset now) => OldestUnacked is { } t ? now - t : null;
}
