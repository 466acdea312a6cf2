using LiteDB;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Agent.Outbox;

/// <summary>
/// The outbox's one bookkeeping document: the head of the device chain (next <c>seq</c>, <c>prev</c>) and the counters the
/// quotas and <c>status</c> read. Written in the same transaction as every entry change, so it never disagrees with them.
/// </summary>
internal sealed class ChainMeta
{
    private const string Id = "chain";

    public long NextSeq { get; set; }

    public EventId Prev { get; set; } = EventId.None;

    /// <summary>Custody events signed and not yet acknowledged or rejected.</summary>
    public long PendingCustody { get; set; }

    /// <summary>Sensor events chained (signed) and not yet acknowledged or rejected.</summary>
    public long PendingSensor { get; set; }

    /// <summary>Sensor reports waiting to be chained.</summary>
    public long QueuedSensor { get; set; }

    public long Rejected { get; set; }

    /// <summary>Sensor reports dropped by the quota since the store was created.</summary>
    public long Gaps { get; set; }

    /// <summary>Orders queued sensor reports (oldest first) for chaining and dropping.</summary>
    public long NextDraft { get; set; }

    public long? LastAckSeq { get; set; }

    public long? LastAckLogIndex { get; set; }

    public DateTimeOffset? LastAckAt { get; set; }

    /// <summary>The seq this store's chain began at: above 0 when it replaced a lost or corrupt store.</summary>
    public long ChainStart { get; set; }

    public string? RecoveredFrom { get; set; }

    public DateTimeOffset? RecoveredAt { get; set; }

    /// <summary>
    /// The layout of the entries (<see cref="EventOutbox"/>): 0 for a store written before 2026-11-24 (sensor drafts in the
    /// events collection, envelopes stored encoded), <see cref="EventOutbox.CurrentFormat"/> once opened by a later agent.
    /// </summary>
    public int Format { get; set; }

    /// <summary>The key id of the signatures stored without one (compact entries), set when the store is first opened
    /// with this layout; an entry signed under another key carries its own.</summary>
    public byte[]? KeyId { get; set; }

    public bool IsNew { get; private set; }

    public static ChainMeta Read(ILiteCollection<BsonDocument> meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        var doc = meta.FindById(Id);
        if (doc is null)
        {
            return new ChainMeta { IsNew = true };
        }

        return new ChainMeta
        {
            NextSeq = doc["next"].AsInt64,
            Prev = EventId.FromBytes(doc["prev"].AsBinary),
            PendingCustody = doc["pc"].AsInt64,
            PendingSensor = doc["ps"].AsInt64,
            QueuedSensor = doc["qs"].AsInt64,
            Rejected = doc["rej"].AsInt64,
            Gaps = doc["gaps"].AsInt64,
            NextDraft = doc["draft"].AsInt64,
            LastAckSeq = doc["ackSeq"].IsNull ? null : doc["ackSeq"].AsInt64,
            LastAckLogIndex = doc["ackIdx"].IsNull ? null : doc["ackIdx"].AsInt64,
            LastAckAt = doc["ackAt"].IsNull ? null : new DateTimeOffset(doc["ackAt"].AsInt64, TimeSpan.Zero),
            ChainStart = doc["start"].AsInt64,
            RecoveredFrom = doc["recFrom"].IsNull ? null : doc["recFrom"].AsString,
            RecoveredAt = doc["recAt"].IsNull ? null : new DateTimeOffset(doc["recAt"].AsInt64, TimeSpan.Zero),
            Format = doc["fmt"].IsInt32 ? doc["fmt"].AsInt32 : 0,
            KeyId = doc["kid"].IsBinary ? doc["kid"].AsBinary : null,
        };
    }

    public void Write(ILiteCollection<BsonDocument> meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        meta.Upsert(new BsonDocument
        {
            ["_id"] = Id,
            ["next"] = NextSeq,
            ["prev"] = Prev.Bytes.ToArray(),
            ["pc"] = PendingCustody,
            ["ps"] = PendingSensor,
            ["qs"] = QueuedSensor,
            ["rej"] = Rejected,
            ["gaps"] = Gaps,
            ["draft"] = NextDraft,
            ["ackSeq"] = LastAckSeq is { } s ? s : BsonValue.Null,
            ["ackIdx"] = LastAckLogIndex is { } i ? i : BsonValue.Null,
            ["ackAt"] = LastAckAt is { } a ? a.UtcTicks : BsonValue.Null,
            ["start"] = ChainStart,
            ["recFrom"] = RecoveredFrom ?? BsonValue.Null,
            ["recAt"] = RecoveredAt is { } r ? r.UtcTicks : BsonValue.Null,
            ["fmt"] = Format,
            ["kid"] = KeyId ?? BsonValue.Null,
        });
        IsNew = false;
    }
}
