using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Agent.Outbox;

/// <summary>A signed event waiting for the hub: its chain position, id, kind, DSSE envelope bytes as stored, and send attempts.</summary>
internal sealed record OutboxEntry(long Seq, EventId EventId, OutboxKind Kind, ReadOnlyMemory<byte> Envelope, DateTimeOffset Created, int Attempts);

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
    /// <summary>Sensor reports waiting in any form: chained and in flight, or queued.</summary>
    public long SensorBacklog => PendingSensor + QueuedSensor;

    public TimeSpan? OldestUnackedAge(DateTimeOffset now) => OldestUnacked is { } t ? now - t : null;
}
