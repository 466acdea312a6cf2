using LiteDB;
using SupplyChain.Agent.Identity;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Agent.Outbox;

/// <summary>
/// The station's durable queue of signed events (DESIGN.md §5 "Outbox"): one LiteDB file, one open database, and the
/// custody journal beside it (<see cref="CustodyJournal"/>).
/// <para>
/// Custody events are built at the chain head (<c>seq</c>, <c>prev</c>, PROTOCOL.md §2.2), signed and appended to the
/// journal with one <c>fdatasync</c>, so the event is on disk before the operator hears the beep, without waiting for a
/// LiteDB transaction. The head lives in memory under its own lock (<c>_chain</c>) and moves only with a durable record;
/// journaled events are copied into the store in batches (<see cref="MoveJournal"/>, and first in every
/// <see cref="TakePending"/>, so delivery sees every event in seq order), and replayed from the journal at open, so a
/// crash can neither reuse a seq nor leave a hole. They are never dropped: when <see cref="OutboxOptions.MaxCustodyEvents"/>
/// are waiting (stored or journaled), <see cref="Append"/> refuses and stores nothing.
/// </para>
/// <para>
/// Sensor reports may be dropped, and a dropped event must not break the chain the hub checks. So a sensor report is
/// queued as a <see cref="SensorDraft"/> and joins the chain only when <see cref="TakePending"/> hands it to delivery:
/// then it gets the next seq, the previous event's id, and is signed. Dropping (oldest first, routine reports before
/// alarms) only ever removes unchained drafts, so every seq the hub sees is followed by its successor; the dropped
/// reports are counted in <see cref="OutboxStatus.Gaps"/> and the hub sees a hole in that asset's sensor timeline, not
/// in the device chain. A side effect is wanted too: custody events chained while sensor reports wait get the lower
/// seq, so delivering in seq order puts custody ahead of the sensor backlog. A draft keeps the boot id and clock-sync
/// flag of the moment it was made.
/// </para>
/// <para>
/// A store LiteDB cannot open is moved aside as <c>outbox.db.corrupt-yyyyMMddHHmmss</c> and a fresh one created, once,
/// so a bad file never becomes a crash loop. The fresh chain starts at the <see cref="SeqReservation"/> high-water mark
/// with <c>prev</c> = <see cref="EventId.None"/>: no seq is reused, and the hub sees where the chain restarted.
/// </para>
/// <para>
/// A full disk (docs/RELIABILITY.md "Disk full and corrupt stores"): below <see cref="OutboxOptions.MinFreeBytes"/> free
/// in the data directory nothing is written. A custody event is refused (<see cref="AppendStatus.DiskFull"/>, the scan
/// goes red <c>disk_full</c>), a sensor report is counted as a gap, journaled events and drafts wait, and acks are ignored
/// (the events stay pending; the hub answers their resend as duplicates with the same index). A journal write that fails
/// (ENOSPC, EIO) refuses the scan the same way and leaves nothing of it to be read at the next open. The margin matters: LiteDB 5.0.20 must
/// never meet ENOSPC, because a log write that fails in its background writer can leave the committing thread waiting in
/// <c>Checkpoint</c> for ever (measured on a full tmpfs), and otherwise leaves its engine unusable (every later call
/// throws). A write that fails anyway (another process filled the disk between the check and the write) closes the store;
/// it is reopened, at most once per <see cref="ReopenInterval"/> and only once the minimum is free again, by the next
/// call. LiteDB replays its committed log on that open.
/// </para>
/// </summary>
internal sealed partial class EventOutbox : IDisposable
{
    public const string FileName = "outbox.db";

    // Two collections. "events" holds the chained events: k kind (c/s), st state (p pending / r rejected), seq, pz the
    // payload compressed (PayloadCompression), sig its Ed25519 signature, kid the key id only when it is not the store's
    // (ChainMeta.KeyId), t created (UTC ticks), why (rejection). An entry written before format 1 holds the encoded DSSE
    // envelope (env) and the event id (eid) instead of pz/sig, and is read and sent as stored. "drafts" holds the queued
    // sensor reports: d (draft), t, ut. Index fields exist only while they apply, so every hot query is one index range
    // read in order, without sorting the backlog: ps = seq while pending, ut = created while unacknowledged (both
    // collections), qd = draft number, qr = draft number when not an alarm. A custody event carries two secondary index
    // nodes (ps, ut); LiteDB indexes a missing field as null, which is why drafts have a collection of their own.
    // The event id is not stored: it is the SHA-256 of the payload, computed when an entry is read.
    private const string Pending = "p";
    private const string Queued = "q";
    private const string RejectedState = "r";
    private const string CustodyCode = "c";
    private const string SensorCode = "s";

    // z: the event's prev is all zeros (first of a chain); was: the seq an event held before it was re-signed.
    private const string StartsChainField = "z";
    private const string FormerSeqField = "was";

    private const string PayloadField = "pz";
    private const string SignatureField = "sig";
    private const string KeyIdField = "kid";
    private const string EnvelopeField = "env";
    private const string EventIdField = "eid";

    /// <summary>The entry layout this agent writes (<see cref="ChainMeta.Format"/>): 1 = compressed payload and signature,
    /// drafts in their own collection. A store of format 0 is converted when opened (see <see cref="Upgrade"/>).</summary>
    public const int CurrentFormat = 1;

    /// <summary>
    /// How many pending events, lowest seq first, are read to find the entries of acks this process did not hand out (sent
    /// by an earlier process, answered after a restart): once per open store. An ack found nowhere is ignored; its event
    /// stays pending, is sent again, and the hub answers the resend as a duplicate with the same index.
    /// </summary>
    public const int AckLookupWindow = 16_384;

    /// <summary>The reason code of a refusal for lack of disk space (docs/OPERATIONS.md "Feedback").</summary>
    public const string DiskFullCode = "disk_full";

    /// <summary>The reason code of a refusal because the store failed for another reason and is closed.</summary>
    public const string UnavailableCode = "outbox_unavailable";

    // ENOSPC as .NET reports it in IOException.HResult on Linux.
    private const int NoSpaceLeft = 28;

    /// <summary>How often a store closed by a write failure is tried again (and the disk's free space read for it).</summary>
    public static readonly TimeSpan ReopenInterval = TimeSpan.FromSeconds(1);

    private readonly FileStream _lockFile;
    private readonly string _directory;

    // Replaced when the store is reopened after a write failure (Reopen); unused while _closedReason is set.
    private LiteDatabase _db;
    private DurableFileStream _data;
    private DurableFileStream _log;
    private ILiteCollection<BsonDocument> _events;
    private ILiteCollection<BsonDocument> _drafts;
    private ILiteCollection<BsonDocument> _meta;

    // The key id of entries stored without one (ChainMeta.KeyId), read when the store is opened.
    private KeyId _storeKeyId;

    // Set while the store is closed after a write failure: the red reason (disk_full: … or outbox_unavailable: …).
    // Written under _gate; Append reads it without (volatile), and takes _gate only to reopen a closed store.
    private volatile string? _closedReason;
    private long _reopenAfter;

    // Sensor reports that could not be stored (disk full, store closed): gaps not yet written to the meta document.
    private long _unstoredReports;
    private OutboxStatus _lastStatus = new(0, 0, 0, 0, 0, 0, 0, null, null, null, null, null, null);
    private readonly DeviceIdentity _identity;
    private readonly string _bootId;
    private readonly Func<bool> _clockSynced;
    private readonly OutboxOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SeqReservation _reservation;
    private readonly Dictionary<long, int> _attempts = [];

    // Pending events by event id: those this process handed to delivery, and those read by LearnPending. An ack finds its
    // entry here instead of by an index query (a LiteDB query per acked event was half the cost of applying acks; the
    // event id has no index). Only ever holds pending events: an entry leaves when its event is acked, rejected or
    // re-signed, and the whole map is dropped when a transaction fails or the store is reopened. An id not here (sent
    // by an earlier process) is looked for once among the lowest AckLookupWindow pending events (_learned).
    private readonly Dictionary<EventId, HandedOut> _handedOut = [];
    private bool _learned;
    private AppendResult? _lastAppended;

    // LiteDB transactions belong to a thread; one lock keeps each read-modify-write of the store whole.
    private readonly Lock _gate = new();

    // The chain's owner (see the class remarks): the head (next seq, prev), the custody events counted against the quota,
    // and the journal records not yet copied into the store, in seq order. A custody append takes only this lock, so a
    // scan never waits for a LiteDB transaction. Whatever else moves the head (chaining sensor reports, a restart after a
    // rejection) holds it across its transaction, after copying the journal into the store in the same transaction, so
    // the store and the journal stay one chain. Lock order: _gate, then _chain.
    private readonly Lock _chain = new();
    private CustodyJournal _journal = null!;
    private readonly List<JournalRecord> _unmoved = [];
    private long _nextSeq;
    private EventId _prev = EventId.None;
    private long _storedCustody;

    private EventOutbox(
        LiteDatabase db,
        DurableFileStream data,
        DurableFileStream log,
        string path,
        DeviceIdentity identity,
        string bootId,
        Func<bool> clockSynced,
        OutboxOptions options,
        TimeProvider timeProvider,
        ILogger logger,
        SeqReservation reservation,
        FileStream lockFile)
    {
        _db = db;
        _data = data;
        _log = log;
        Path = path;
        _directory = System.IO.Path.GetDirectoryName(path) ?? ".";
        _events = db.GetCollection("events", BsonAutoId.Int64);
        _drafts = db.GetCollection("drafts", BsonAutoId.Int64);
        _meta = db.GetCollection("meta");
        _identity = identity;
        _bootId = bootId;
        _clockSynced = clockSynced;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _reservation = reservation;
        _lockFile = lockFile;
    }

    public string Path { get; }

    /// <summary>Where a corrupt store was moved at this start, or null.</summary>
    public string? MovedAside { get; private set; }

    /// <summary>Where a journal damaged inside (not just at its tail) was moved at this start, or null.</summary>
    public string? JournalMovedAside { get; private set; }

    /// <summary>
    /// Opens <c>{directory}/outbox.db</c>, moving a corrupt store aside and starting fresh if LiteDB cannot read it.
    /// </summary>
    /// <exception cref="IOException">The directory is not usable (permissions, disk): a broken environment, not corruption.</exception>
    public static EventOutbox Open(
        string directory,
        DeviceIdentity identity,
        string bootId,
        Func<bool> clockSynced,
        OutboxOptions options,
        TimeProvider timeProvider,
        ILogger<EventOutbox> logger)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, FileName);
        var lockFile = TakeLock(directory);
        try
        {
            var reservation = new SeqReservation(directory);
            string? movedAside = null;
            (LiteDatabase Db, DurableFileStream Data, DurableFileStream Log) opened;
            try
            {
                opened = OpenChecked(path);
            }

            // A damaged file surfaces as whatever LiteDB trips over first (LiteException, ArgumentOutOfRangeException on a
            // garbage header, InvalidCastException, ...). Only I/O and permission errors mean the environment, not the file.
            catch (Exception e) when (e is not (IOException or UnauthorizedAccessException or OutOfMemoryException))
            {
                movedAside = MoveAside(path, timeProvider.GetUtcNow());
                LogMovedAside(logger, path, movedAside, e.Message);
                opened = OpenChecked(path);
            }

            var outbox = new EventOutbox(opened.Db, opened.Data, opened.Log, path, identity, bootId, clockSynced, options, timeProvider, logger, reservation, lockFile);
            outbox.Initialize(movedAside);
            return outbox;
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Builds the custody event for the next chain position, signs it and appends it to the journal (one write, one
    /// <c>fdatasync</c>). When this returns <see cref="AppendStatus.Appended"/> the event is durable; the mover copies it
    /// into the store later (<see cref="MoveJournal"/>), before delivery can see it. No LiteDB transaction is waited for.
    /// </summary>
    public AppendResult Append(Func<DeviceStamp, CustodyEvent> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        if (_closedReason is not null)
        {
            // A store closed by a failed write: this call may reopen it (at most once per ReopenInterval).
            lock (_gate)
            {
                EnsureOpen();
            }
        }

        lock (_chain)
        {
            if (RefusalForNewCustody() is { } refusal)
            {
                LogCustodyRefused(_logger, refusal.Reason!);
                return refusal;
            }

            try
            {
                return AppendCore(build);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not confirmed, and nothing of it will be read at the next open (CustodyJournal.Append cuts it off).
                var reason = ReasonOf(e);
                LogCustodyRefused(_logger, reason);
                return AppendResult.Refused(StatusOf(reason), reason + "; the scan was not confirmed");
            }
        }
    }

    // Under _chain.
    private AppendResult AppendCore(Func<DeviceStamp, CustodyEvent> build)
    {
        var pending = _storedCustody + _unmoved.Count;
        if (pending >= _options.MaxCustodyEvents)
        {
            LogCustodyQuotaFull(_logger, pending);
            return AppendResult.Refused(
                AppendStatus.QuotaFull,
                $"custody outbox full: {pending} events wait for the hub (Outbox:MaxCustodyEvents)");
        }

        var stamp = new DeviceStamp(_identity.DeviceId, _nextSeq, _prev, _bootId, _clockSynced());
        var payload = EventCodec.Encode(build(stamp));
        if (payload.Length > EventCodec.MaxPayloadBytes)
        {
            return AppendResult.Refused(
                AppendStatus.TooLarge, $"event is {payload.Length} bytes, more than {EventCodec.MaxPayloadBytes}");
        }

        var envelope = _identity.Signer.Sign(payload, EventVocabulary.PayloadType);
        _reservation.Cover(stamp.Seq);
        var record = new JournalRecord(stamp.Seq, stamp.Prev, _timeProvider.GetUtcNow().UtcTicks, envelope);
        _journal.Append(record);
        _unmoved.Add(record);
        _nextSeq++;
        _prev = envelope.EventId;
        _lastAppended = AppendResult.Appended(stamp.Seq, envelope.EventId);
        return _lastAppended.Value;
    }

    /// <summary>
    /// The custody event this process committed last, or null before the first: the signal file names it on green
    /// (<see cref="Feedback.SignalFile"/>).
    /// </summary>
    public AppendResult? LastAppended
    {
        get
        {
            lock (_chain)
            {
                return _lastAppended;
            }
        }
    }

    /// <summary>
    /// Copies the journal's records into the store in one transaction and empties the journal once none is left that the
    /// store does not hold. Delivery does this first in every <see cref="TakePending"/>; <see cref="JournalMoverService"/>
    /// does it when delivery is off or away. Returns how many records were copied.
    /// </summary>
    public int MoveJournal()
    {
        lock (_gate)
        {
            if (!EnsureOpen())
            {
                return 0;
            }

            try
            {
                return MoveJournalCore();
            }
            catch (Exception e) when (IsStorageFailure(e))
            {
                // The records stay in the journal (and in memory) and are copied after the reopen.
                Close(e);
                return 0;
            }
        }
    }

    // Under _gate. Appends go on while the batch is copied: only the records taken here leave _unmoved.
    private int MoveJournalCore()
    {
        JournalRecord[] batch;
        lock (_chain)
        {
            if (_unmoved.Count == 0)
            {
                EmptyJournal();
                return 0;
            }

            batch = [.. _unmoved];
        }

        // LiteDB must never meet ENOSPC (class remarks): below the minimum the records wait in the journal.
        if (FreeBytes() < _options.MinFreeBytes)
        {
            return 0;
        }

        ChainMeta? meta = null;
        InTransaction(() => meta = InsertMoved(batch));
        lock (_chain)
        {
            Moved(batch.Length, meta!);
        }

        return batch.Length;
    }

    // Under _gate: an answer about an event still only in the journal (delivery never sends one, but the outbox does not
    // rely on that) moves the journal first, so the event has its entry in the store.
    private void MoveIfJournaled(HashSet<EventId> ids)
    {
        bool journaled;
        lock (_chain)
        {
            journaled = _unmoved.Exists(r => ids.Contains(r.EventId));
        }

        if (journaled)
        {
            // Not handed out, so not in _handedOut: FindPending looks among the lowest pending events once more.
            MoveJournalCore();
            _learned = false;
        }
    }

    // Under _chain, after the transaction that copied the first `count` unmoved records is durable.
    private void Moved(int count, ChainMeta meta)
    {
        _unmoved.RemoveRange(0, count);
        _storedCustody = meta.PendingCustody;
        try
        {
            _journal.MarkMoved(meta.NextSeq);
        }
        catch (IOException e)
        {
            // Only a lost store reads the mark; the records are in this one.
            LogJournalNotEmptied(_logger, _journal.Path, e.Message);
        }

        EmptyJournal();
    }

    // Under _chain: empties the journal file when the store holds every record in it.
    private void EmptyJournal()
    {
        if (_unmoved.Count > 0 || (_journal.Length == 0 && !_journal.IsBroken))
        {
            return;
        }

        try
        {
            _journal.StartOver();
        }
        catch (IOException e)
        {
            // Custody appends are refused (CustodyJournal.IsBroken) until a later move cuts it back.
            LogJournalNotEmptied(_logger, _journal.Path, e.Message);
        }
    }

    // In a transaction: stores journal records the store does not hold yet (seq at or above its next seq; an older one is
    // a copy that came back after a crash) as pending custody events, moving the store's chain head with them.
    private ChainMeta InsertMoved(IReadOnlyList<JournalRecord> records, List<BsonDocument>? inserted = null)
    {
        var meta = ChainMeta.Read(_meta);
        foreach (var record in records)
        {
            if (record.Seq < meta.NextSeq)
            {
                continue;
            }

            if (record.Seq != meta.NextSeq || (record.Prev != meta.Prev && !record.Prev.IsNone))
            {
                throw new InvalidDataException(
                    $"journal record seq {record.Seq} does not follow the store's head (next seq {meta.NextSeq})");
            }

            var doc = new BsonDocument
            {
                ["k"] = CustodyCode,
                ["st"] = Pending,
                ["seq"] = record.Seq,
                ["ps"] = record.Seq,
                ["t"] = record.CreatedTicks,
                ["ut"] = record.CreatedTicks,
            };
            PutEnvelope(doc, record.Envelope, record.Prev.IsNone);
            _events.Insert(doc);
            inserted?.Add(doc);
            meta.NextSeq = record.Seq + 1;
            meta.Prev = record.EventId;
            meta.PendingCustody++;
        }

        meta.Write(_meta);
        return meta;
    }

    /// <summary>
    /// Queues a sensor report. When <see cref="OutboxOptions.MaxSensorReports"/> are queued, the oldest routine report
    /// (or, if only alarms are queued, the oldest alarm) is dropped and counted as a gap.
    /// </summary>
    /// <param name="draft">The report or alarm.</param>
    /// <param name="syncedThroughout">False when the clock was not synchronised for some of the samples (the caller knows
    /// the window); the report then says <c>ct:clockSynced</c> false even if the clock is synchronised now.</param>
    public SensorAppendResult AppendSensor(SensorDraft draft, bool syncedThroughout = true)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var clockSynced = syncedThroughout && _clockSynced();
        var parts = new List<SensorDraft>();
        SplitToFit(draft, parts);
        lock (_gate)
        {
            if (RefusalForNewEvent() is { } refusal)
            {
                return Unstored(parts.Count, refusal.Reason!);
            }

            try
            {
                return AppendSensorCore(parts, clockSynced);
            }
            catch (Exception e) when (IsStorageFailure(e))
            {
                Close(e);
                return Unstored(parts.Count, _closedReason!);
            }
        }
    }

    private SensorAppendResult AppendSensorCore(List<SensorDraft> parts, bool clockSynced)
    {
        var meta = ChainMeta.Read(_meta);
        var dropped = 0;

        // Reports lost while the disk was full become gaps on disk with the first report stored after.
        var carried = _unstoredReports;
        InTransaction(() =>
        {
            meta.Gaps += carried;
            foreach (var part in parts)
            {
                while (meta.QueuedSensor >= _options.MaxSensorReports && DropOldestQueued())
                {
                    meta.QueuedSensor--;
                    meta.Gaps++;
                    dropped++;
                }

                var entry = new BsonDocument
                {
                    ["k"] = SensorCode,
                    ["st"] = Queued,
                    ["qd"] = meta.NextDraft,
                    ["d"] = part.ToBson(_bootId, clockSynced),
                    ["t"] = _timeProvider.GetUtcNow().UtcTicks,
                    ["ut"] = _timeProvider.GetUtcNow().UtcTicks,
                };
                if (!part.IsAlarm)
                {
                    entry["qr"] = meta.NextDraft;
                }

                _drafts.Insert(entry);
                meta.NextDraft++;
                meta.QueuedSensor++;
            }

            meta.Write(_meta);
        });
        _unstoredReports -= carried;
        if (dropped > 0)
        {
            LogSensorDropped(_logger, dropped, meta.Gaps);
        }

        return new SensorAppendResult(dropped, meta.Gaps);
    }

    /// <summary>
    /// Up to <paramref name="max"/> events for delivery, in seq order: first the signed events not yet acknowledged, then,
    /// if <paramref name="kinds"/> includes sensors and there is room, queued sensor reports chained and signed now.
    /// Each returned entry's attempt count is increased. Calling again before acks returns the same events (resend).
    /// </summary>
    /// <param name="max">Most entries returned.</param>
    /// <param name="kinds">Which kinds.</param>
    /// <param name="afterSeq">Only events above this seq: delivery passes the highest seq it has in flight, so a call
    /// reads and counts only what it is about to send.</param>
    public IReadOnlyList<OutboxEntry> TakePending(int max, OutboxKinds kinds, long afterSeq = -1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        lock (_gate)
        {
            if (!EnsureOpen())
            {
                return [];
            }

            try
            {
                // First the journal: an event still only there must not let a later one (a sensor report chained below) go first.
                MoveJournalCore();
                return TakePendingCore(max, kinds, afterSeq);
            }
            catch (Exception e) when (IsStorageFailure(e))
            {
                // Nothing taken in the failed call leaves: chained drafts were rolled back (or, if LiteDB's log kept
                // them, are handed out after the reopen).
                Close(e);
                return [];
            }
        }
    }

    private List<OutboxEntry> TakePendingCore(int max, OutboxKinds kinds, long afterSeq)
    {
        // A read: attempt counts live in memory, so handing out signed events writes nothing.
        var query = _events.Query().Where(BsonExpression.Create("ps > @0", new BsonValue(Math.Max(afterSeq, -1L))));
        if (kinds != OutboxKinds.All)
        {
            query = query.Where(Query.EQ("k", kinds.HasFlag(OutboxKinds.Custody) ? CustodyCode : SensorCode));
        }

        var chained = kinds == OutboxKinds.None ? [] : query.OrderBy("ps").Limit(max).ToList();
        var entries = new List<OutboxEntry>(max);
        foreach (var doc in chained)
        {
            entries.Add(HandOut(doc));
        }

        // Chaining a sensor report uses a seq: that is committed and on disk before the event leaves. Below the free
        // space minimum the drafts wait (a write that fails closes the store).
        if (entries.Count < max && kinds.HasFlag(OutboxKinds.Sensor) && FreeBytes() >= _options.MinFreeBytes
            && _drafts.Query().Where(Query.GT("qd", -1L)).Limit(1).FirstOrDefault() is not null)
        {
            // The chain's owner is held across the transaction; custody events journaled since the move above are copied
            // in it first and handed out ahead of the reports (entries.Count < max: the query above returned every stored
            // event beyond afterSeq, so these come next in seq order).
            lock (_chain)
            {
                var late = _unmoved.ToArray();
                ChainMeta? meta = null;
                InTransaction(() =>
                {
                    var inserted = new List<BsonDocument>(late.Length);
                    meta = InsertMoved(late, inserted);
                    foreach (var doc in inserted)
                    {
                        if (entries.Count < max && doc["seq"].AsInt64 > afterSeq && kinds.HasFlag(OutboxKinds.Custody))
                        {
                            entries.Add(HandOut(doc));
                        }
                    }

                    if (entries.Count < max)
                    {
                        var drafts = _drafts.Query().Where(Query.GT("qd", -1L)).OrderBy("qd").Limit(max - entries.Count).ToList();
                        meta = ChainQueued(drafts, entries);
                    }
                });
                Moved(late.Length, meta!);
                (_nextSeq, _prev) = (meta!.NextSeq, meta.Prev);
            }
        }

        return entries;
    }

    /// <summary>The hub accepted the event at <paramref name="logIndex"/>: it leaves the outbox. False if it was not pending.</summary>
    public bool MarkAcked(EventId eventId, long logIndex) => MarkAcked([new Acknowledgement(eventId, logIndex)]).Count == 1;

    /// <summary>
    /// The hub accepted these events (one ack message): they leave the outbox in one transaction. Returns those that
    /// were pending; the others (already acked, or re-signed since) are ignored.
    /// </summary>
    public IReadOnlyList<Acknowledgement> MarkAcked(IReadOnlyList<Acknowledgement> acks)
    {
        ArgumentNullException.ThrowIfNull(acks);
        lock (_gate)
        {
            if (!EnsureOpen() || FreeBytes() < _options.MinFreeBytes)
            {
                return [];
            }

            try
            {
                MoveIfJournaled([.. acks.Select(a => a.EventId)]);
                return MarkAckedCore(acks);
            }
            catch (Exception e) when (IsStorageFailure(e))
            {
                // The events stay pending and are sent again; the hub answers a resend as a duplicate with the same index.
                Close(e);
                return [];
            }
        }
    }

    private List<Acknowledgement> MarkAckedCore(IReadOnlyList<Acknowledgement> acks)
    {
        var seen = new HashSet<EventId>();
        var found = new List<(Acknowledgement Ack, HandedOut Entry)>();
        foreach (var ack in acks)
        {
            if (!seen.Add(ack.EventId))
            {
                continue;
            }

            if (FindPending(ack.EventId) is { } entry)
            {
                found.Add((ack, entry));
            }
        }

        if (found.Count == 0)
        {
            return [];
        }

        var deleted = new List<Acknowledgement>(found.Count);
        ChainMeta? meta = null;
        InTransaction(() =>
        {
            meta = ChainMeta.Read(_meta);
            foreach (var (ack, entry) in found)
            {
                if (!_events.Delete(entry.Id))
                {
                    continue;
                }

                deleted.Add(ack);
                CountOut(meta, entry.Id, entry.Kind);
                if (meta.LastAckSeq is not { } last || entry.Seq > last)
                {
                    meta.LastAckSeq = entry.Seq;
                    meta.LastAckLogIndex = ack.LogIndex;
                }
            }

            meta.LastAckAt = _timeProvider.GetUtcNow();
            meta.Write(_meta);
        });
        lock (_chain)
        {
            _storedCustody = meta!.PendingCustody;
        }

        foreach (var ack in deleted)
        {
            _handedOut.Remove(ack.EventId);
        }

        return deleted;
    }

    /// <summary>The hub rejected the event: it is kept with the reason and never sent again. False if it was not pending.</summary>
    public bool MarkRejected(EventId eventId, string reason) => MarkRejected([new Rejection(eventId, reason)]).Rejected == 1;

    /// <summary>
    /// The hub rejected these events for good (one ack message; PROTOCOL.md §5.3: every reason but <c>chain_gap</c> and
    /// <c>hub_unavailable</c>). Each is kept with its reason, visible in status and <see cref="ReadRejected(int)"/>, and never
    /// sent again.
    /// <para>
    /// The hub's chain head stays before the first of them, so every later pending event, whose <c>prev</c> leads back
    /// through a rejected one, would be held as <c>chain_gap</c> forever. In the same transaction they are moved to a new
    /// chain (PROTOCOL.md §5.5 "restart"): re-signed, in their order, at fresh seqs from the chain's next seq on (above
    /// every seq used or reserved, so none is reused), the first with <c>prev</c> all zeros. With no later event the
    /// next one made starts the new chain. No scan is lost; the seqs they held are never used again.
    /// </para>
    /// </summary>
    public RejectionResult MarkRejected(IReadOnlyList<Rejection> rejections)
    {
        ArgumentNullException.ThrowIfNull(rejections);
        lock (_gate)
        {
            if (!EnsureOpen() || FreeBytes() < _options.MinFreeBytes)
            {
                return new RejectionResult(0, 0, null);
            }

            try
            {
                MoveIfJournaled([.. rejections.Select(r => r.EventId)]);
                return MarkRejectedCore(rejections);
            }
            catch (Exception e) when (IsStorageFailure(e))
            {
                // The events stay pending; their resend is rejected again once the store is back.
                Close(e);
                return new RejectionResult(0, 0, null);
            }
        }
    }

    private RejectionResult MarkRejectedCore(IReadOnlyList<Rejection> rejections)
    {
        var found = new List<(Rejection Rejection, BsonDocument Doc)>();
        foreach (var rejection in rejections)
        {
            if (!found.Exists(f => f.Rejection.EventId == rejection.EventId)
                && FindPending(rejection.EventId) is { } entry
                && _events.FindById(entry.Id) is { } doc
                && doc["st"].AsString == Pending)
            {
                found.Add((rejection, doc));
            }
        }

        if (found.Count == 0)
        {
            return new RejectionResult(0, 0, null);
        }

        var moved = 0;
        long? restartSeq = null;

        // A restart moves the chain's head: its owner is held, and the journal copied into the store in the same
        // transaction, so the events still only in the journal move to the new chain with the others.
        lock (_chain)
        {
            var late = _unmoved.ToArray();
            ChainMeta? head = null;
            InTransaction(() =>
            {
                InsertMoved(late);
                head = RejectAndRestart(found, out moved, out restartSeq);
            });
            Moved(late.Length, head!);
            (_nextSeq, _prev) = (head!.NextSeq, head.Prev);
        }

        foreach (var (rejection, doc) in found)
        {
            LogRejected(_logger, doc["seq"].AsInt64, rejection.EventId.ToString(), rejection.Reason);
        }

        if (restartSeq is { } seq)
        {
            LogChainRestartedAfterRejection(_logger, found.Min(f => f.Doc["seq"].AsInt64), seq, moved);
        }

        return new RejectionResult(found.Count, moved, restartSeq);
    }

    // In a transaction, under _chain: marks the events rejected and moves every later pending event to a new chain.
    private ChainMeta RejectAndRestart(List<(Rejection Rejection, BsonDocument Doc)> found, out int moved, out long? restartSeq)
    {
        var meta = ChainMeta.Read(_meta);
        foreach (var (rejection, doc) in found)
        {
            doc["st"] = RejectedState;
            doc["why"] = rejection.Reason;
            doc["rt"] = _timeProvider.GetUtcNow().UtcTicks;
            doc.Remove("ps");
            doc.Remove("ut");
            _events.Update(doc);
            CountOut(meta, doc);
            _handedOut.Remove(rejection.EventId);
            meta.Rejected++;
        }

        (moved, restartSeq) = Restart(meta, found.Min(f => f.Doc["seq"].AsInt64), [.. found.Select(f => f.Rejection.EventId)]);
        meta.Write(_meta);
        return meta;
    }

    /// <summary>Rejected events kept in the outbox, newest first: what the hub refused and why.</summary>
    public IReadOnlyList<RejectedEntry> ReadRejected(int max = 100)
    {
        lock (_gate)
        {
            if (!EnsureOpen())
            {
                return [];
            }

            try
            {
                return ReadRejected(_events, max);
            }
            catch (Exception e) when (IsStorageFailure(e))
            {
                Close(e);
                return [];
            }
        }
    }

    /// <summary>
    /// The store's figures. While the store is closed after a write failure, the last figures read; while it takes no new
    /// events (closed, or the disk below the minimum) <see cref="OutboxStatus.Unavailable"/> says why.
    /// <see cref="OutboxStatus.Gaps"/> always counts the reports not stored.
    /// </summary>
    public OutboxStatus ReadStatus()
    {
        lock (_gate)
        {
            if (EnsureOpen())
            {
                try
                {
                    _lastStatus = ReadStatus(_events, _drafts, _meta);
                }
                catch (Exception e) when (IsStorageFailure(e))
                {
                    Close(e);
                }
            }

            var free = _closedReason is null ? FreeBytes() : 0;
            var refusing = _closedReason ?? (free < _options.MinFreeBytes ? DiskFullReason(free) : null);
            lock (_chain)
            {
                // The chain's head and the custody events still only in the journal count as the outbox's.
                return WithJournal(_lastStatus, _nextSeq, _storedCustody + _unmoved.Count, _unmoved.Count > 0 ? _unmoved[0].CreatedTicks : null)
                    with { Gaps = _lastStatus.Gaps + _unstoredReports, Unavailable = refusing };
            }
        }
    }

    /// <summary>
    /// False when a call has held the store for longer than <paramref name="wait"/>: a LiteDB write stuck for ever after
    /// ENOSPC looks like this (see the class remarks), and the systemd watchdog then stops pinging.
    /// </summary>
    public bool IsResponsive(TimeSpan wait)
    {
        if (!_gate.TryEnter(wait))
        {
            return false;
        }

        _gate.Exit();
        if (!_chain.TryEnter(wait))
        {
            return false;
        }

        _chain.Exit();
        return true;
    }

    /// <summary>How many times the LiteDB data file was flushed to disk (fsync) since opening.</summary>
    internal long DataDiskFlushes => _data.DiskFlushes;

    /// <summary>How many times the LiteDB log file was flushed to disk (fsync) since opening.</summary>
    internal long LogDiskFlushes => _log.DiskFlushes;

    /// <summary>How many times the journal was synced to disk (fdatasync) since opening.</summary>
    internal long JournalDiskFlushes => _journal.DiskFlushes;

    /// <summary>Bytes of records in the journal since it last started over.</summary>
    internal long JournalLength
    {
        get
        {
            lock (_chain)
            {
                return _journal.Length;
            }
        }
    }

    /// <summary>Custody events appended and not yet copied into the store.</summary>
    internal int Unmoved
    {
        get
        {
            lock (_chain)
            {
                return _unmoved.Count;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_closedReason is null)
            {
                // The journal's records go into the store now, so `status` reads them there; should this fail they are
                // replayed at the next open.
                try
                {
                    MoveJournalCore();
                }
                catch (Exception e) when (IsStorageFailure(e))
                {
                    LogJournalNotEmptied(_logger, _journal.Path, e.Message);
                }

                _db.Dispose();
                _log.Dispose();
                _data.Dispose();
                DeleteIfEmpty(LogFileOf(Path));
            }

            _journal.Dispose();
            _lockFile.Dispose();
        }
    }

    /// <summary>Reads the status of the store at <paramref name="path"/> without writing to it (for <c>status</c>).</summary>
    /// <returns>Null when there is no store yet.</returns>
    public static OutboxStatus? ReadStatus(string path)
    {
        // An empty file is a store being created: a read-only open of it fails ("Stream does not support writing").
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            return null;
        }

        OutboxStatus status;
        using (var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Shared, ReadOnly = true }))
        {
            status = ReadStatus(db.GetCollection("events", BsonAutoId.Int64), db.GetCollection("drafts", BsonAutoId.Int64), db.GetCollection("meta"));
        }

        // Custody events confirmed and still only in the journal (the agent died, or has not moved them yet).
        var journaled = CustodyJournal.Read(System.IO.Path.GetDirectoryName(path) ?? ".", status.NextSeq).Records.Where(r => r.Seq >= status.NextSeq).ToList();
        return journaled.Count == 0
            ? status
            : WithJournal(status, journaled[^1].Seq + 1, status.PendingCustody + journaled.Count, journaled[0].CreatedTicks);
    }

    /// <summary>
    /// How many custody events in the journal beside the store at <paramref name="path"/> the store does not hold yet: what
    /// the next open replays (for tests and diagnosis; read without writing).
    /// </summary>
    internal static int CountJournaled(string path)
    {
        var next = 0L;
        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Shared, ReadOnly = true });
            next = ChainMeta.Read(db.GetCollection("meta")).NextSeq;
        }

        return CustodyJournal.Read(System.IO.Path.GetDirectoryName(path) ?? ".", next).Records.Count(r => r.Seq >= next);
    }

    private static OutboxStatus WithJournal(OutboxStatus status, long nextSeq, long pendingCustody, long? oldestJournaled)
    {
        var oldest = status.OldestUnacked;
        if (oldestJournaled is { } ticks && (oldest is null || ticks < oldest.Value.UtcTicks))
        {
            oldest = new DateTimeOffset(ticks, TimeSpan.Zero);
        }

        return status with { NextSeq = nextSeq, PendingCustody = pendingCustody, OldestUnacked = oldest };
    }

    /// <summary>Reads the rejected events of the store at <paramref name="path"/> without writing to it (for <c>status</c>).</summary>
    public static IReadOnlyList<RejectedEntry> ReadRejected(string path, int max = 100)
    {
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            return [];
        }

        using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Shared, ReadOnly = true });
        return ReadRejected(db.GetCollection("events", BsonAutoId.Int64), max);
    }

    private static List<RejectedEntry> ReadRejected(ILiteCollection<BsonDocument> events, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);

        // Rejections are rare; a scan of the collection is fine for status.
        return [.. events.Find(Query.EQ("st", RejectedState))
            .OrderByDescending(d => d["seq"].AsInt64)
            .Take(max)
            .Select(d => new RejectedEntry(
                d["seq"].AsInt64,
                EventIdOf(d),
                KindOf(d),
                d["why"].AsString,
                d["rt"].IsInt64 ? new DateTimeOffset(d["rt"].AsInt64, TimeSpan.Zero) : null))];
    }

    private static OutboxStatus ReadStatus(
        ILiteCollection<BsonDocument> events, ILiteCollection<BsonDocument> drafts, ILiteCollection<BsonDocument> metaCollection)
    {
        var meta = ChainMeta.Read(metaCollection);
        var oldestEvent = events.Query().Where(Query.GT("ut", -1L)).OrderBy("ut").Limit(1).FirstOrDefault()?["ut"].AsInt64;
        var oldestDraft = drafts.Query().Where(Query.GT("ut", -1L)).OrderBy("ut").Limit(1).FirstOrDefault()?["ut"].AsInt64;
        var oldest = oldestEvent is { } e && oldestDraft is { } d ? Math.Min(e, d) : oldestEvent ?? oldestDraft;
        return new OutboxStatus(
            meta.PendingCustody,
            meta.PendingSensor,
            meta.QueuedSensor,
            meta.Rejected,
            meta.Gaps,
            meta.NextSeq,
            meta.ChainStart,
            oldest is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null,
            meta.LastAckSeq,
            meta.LastAckLogIndex,
            meta.LastAckAt,
            meta.RecoveredFrom,
            meta.RecoveredAt);
    }

    private static (LiteDatabase Db, DurableFileStream Data, DurableFileStream Log) OpenChecked(string path)
    {
        // FileShare.Read lets `status` read alongside; a second writer is kept out by the lock file (see Open).
        var (data, log) = DurableFileStream.OpenPair(path, LogFileOf(path), FileMode.OpenOrCreate, FileShare.Read);
        LiteDatabase? db = null;
        try
        {
            db = new LiteDatabase(data, logStream: log);
            // Touch what we rely on so a damaged file shows itself now, not at the first scan.
            // (A store of format 0 also has qd, qr and eid on events: Upgrade drops them after moving its drafts.)
            var events = db.GetCollection("events", BsonAutoId.Int64);
            events.EnsureIndex("ps");
            events.EnsureIndex("ut");
            var drafts = db.GetCollection("drafts", BsonAutoId.Int64);
            drafts.EnsureIndex("qd");
            drafts.EnsureIndex("qr");
            drafts.EnsureIndex("ut");
            ChainMeta.Read(db.GetCollection("meta"));
            _ = events.Count();
            return (db, data, log);
        }
        catch
        {
            db?.Dispose();
            log.Dispose();
            data.Dispose();
            throw;
        }
    }

    private static string MoveAside(string path, DateTimeOffset now)
    {
        var suffix = ".corrupt-" + now.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var target = path + suffix;
        File.Move(path, target, overwrite: false);

        // LiteDB keeps uncommitted-to-datafile pages in "{name}-log.db"; it belongs to the bad file, not the new one.
        var log = LogFileOf(path);
        DeleteIfEmpty(log);
        if (File.Exists(log))
        {
            File.Move(log, log + suffix, overwrite: false);
        }

        return target;
    }

    // Linux does not enforce FileShare between processes except as flock: an exclusive lock on a file of its own keeps a
    // second agent (or a second service instance) from writing the same chain, without blocking `status` readers.
    private static FileStream TakeLock(string directory)
    {
        var path = System.IO.Path.Combine(directory, "outbox.lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"{path} is held by another process: is a second coldtrace-agent running on {directory}?", e);
        }
    }

    // LiteDB removes an empty log file itself only when it opened the file; with our streams we do it.
    private static void DeleteIfEmpty(string path)
    {
        if (File.Exists(path) && new FileInfo(path).Length == 0)
        {
            File.Delete(path);
        }
    }

    private static string LogFileOf(string path) =>
        System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(path) ?? ".",
            System.IO.Path.GetFileNameWithoutExtension(path) + "-log" + System.IO.Path.GetExtension(path));

    private static OutboxKind KindOf(BsonDocument doc) => doc["k"].AsString == CustodyCode ? OutboxKind.Custody : OutboxKind.Sensor;

    // An entry handed to delivery: the envelope's bytes on the wire, the same as when it was signed (a compact entry is
    // encoded again from its payload and signature; EnvelopeCodec.Encode is deterministic), and counted as one more send.
    private OutboxEntry HandOut(BsonDocument doc)
    {
        var (eventId, envelope) = EnvelopeOf(doc);
        var id = doc["_id"].AsInt64;
        _handedOut[eventId] = HandedOut.Of(doc);

        // Sends by this process; a restart begins again at zero (status shows age, not attempts).
        var attempts = _attempts.GetValueOrDefault(id) + 1;
        _attempts[id] = attempts;
        return new OutboxEntry(
            doc["seq"].AsInt64,
            eventId,
            KindOf(doc),
            envelope,
            new DateTimeOffset(doc["t"].AsInt64, TimeSpan.Zero),
            attempts)
        {
            StartsChain = doc[StartsChainField].IsBoolean && doc[StartsChainField].AsBoolean,
            EncodedByOutbox = !doc[EnvelopeField].IsBinary,
        };
    }

    // The envelope of a chained entry as sent, and its event id.
    private (EventId EventId, byte[] Envelope) EnvelopeOf(BsonDocument doc)
    {
        if (doc[EnvelopeField].IsBinary)
        {
            return (EventId.FromBytes(doc[EventIdField].AsBinary), doc[EnvelopeField].AsBinary);
        }

        var payload = PayloadCompression.Decompress(doc[PayloadField].AsBinary);
        var keyId = doc[KeyIdField].IsBinary ? KeyIdOf(doc[KeyIdField].AsBinary) : _storeKeyId;
        var envelope = new Envelope(EventVocabulary.PayloadType, payload, [new EnvelopeSignature(keyId, doc[SignatureField].AsBinary)]);
        return (envelope.EventId, EnvelopeCodec.Encode(envelope));
    }

    // The signed payload of a chained entry.
    private static byte[] PayloadOf(BsonDocument doc)
    {
        if (doc[PayloadField].IsBinary)
        {
            return PayloadCompression.Decompress(doc[PayloadField].AsBinary);
        }

        return EnvelopeCodec.TryDecode(doc[EnvelopeField].AsBinary, out var envelope, out var error)
            ? envelope!.Payload.ToArray()
            : throw new InvalidDataException($"outbox entry seq {doc["seq"].AsInt64} does not decode: {error}");
    }

    private static EventId EventIdOf(BsonDocument doc) =>
        doc[EventIdField].IsBinary ? EventId.FromBytes(doc[EventIdField].AsBinary) : EventId.Compute(PayloadOf(doc));

    private static KeyId KeyIdOf(byte[] bytes) =>
        bytes.Length == 32 ? KeyId.FromBytes(bytes) : throw new InvalidDataException("an outbox key id is not 32 bytes");

    // Stores a signed event in a chained entry: the payload compressed, the signature, and the key id only when it is not
    // the store's. Replaces the envelope of an entry of format 0 (re-signed after a rejection).
    private void PutEnvelope(BsonDocument doc, Envelope envelope, bool startsChain)
    {
        var signature = envelope.Signatures[0];
        doc.Remove(EnvelopeField);
        doc.Remove(EventIdField);
        doc[PayloadField] = PayloadCompression.Compress(envelope.Payload.Span);
        doc[SignatureField] = signature.Signature.ToArray();
        if (signature.KeyId == _storeKeyId)
        {
            doc.Remove(KeyIdField);
        }
        else
        {
            doc[KeyIdField] = signature.KeyId.Bytes.ToArray();
        }

        // Written only when true: most entries do not start a chain, and a missing field reads as false.
        if (startsChain)
        {
            doc[StartsChainField] = true;
        }
        else
        {
            doc.Remove(StartsChainField);
        }
    }

    private void CountOut(ChainMeta meta, BsonDocument doc) => CountOut(meta, doc["_id"].AsInt64, KindOf(doc));

    private void CountOut(ChainMeta meta, long id, OutboxKind kind)
    {
        _attempts.Remove(id);
        if (kind == OutboxKind.Custody)
        {
            meta.PendingCustody--;
        }
        else
        {
            meta.PendingSensor--;
        }
    }

    private void Initialize(string? movedAside)
    {
        lock (_gate)
        {
            lock (_chain)
            {
                InitializeCore(movedAside);
                Replay(CustodyJournal.Read(_directory, ChainMeta.Read(_meta).NextSeq), storeReplaced: movedAside is not null);
            }
        }
    }

    // At open, under _gate and _chain: the journal's records the store does not hold go into it (the common case: a
    // crash or SIGKILL between an append and the mover). Records already in the store (seq below its next seq) came back
    // after a crash that outran the truncation and are skipped. Below the free-space minimum they stay in the journal,
    // waiting for the mover, with a torn tail cut off. A replaced store (moved aside as corrupt) starts a fresh chain, so
    // the records are re-signed onto it. A journal damaged inside (a whole record after a bad one) is moved aside; the
    // records before the damage are kept, and the chain restarts above the seq reservation, because the lost records'
    // seqs were signed (docs/RELIABILITY.md "Torn or corrupt journal").
    private void Replay(JournalContents journal, bool storeReplaced)
    {
        var directory = _directory;
        var meta = ChainMeta.Read(_meta);
        // A replaced store: the records below the journal's own mark were in the lost store (and may have been delivered).
        var records = journal.Records.Where(r => r.Seq >= (storeReplaced ? journal.MovedThrough : meta.NextSeq)).ToList();
        var follows = !storeReplaced
            && (records.Count == 0 || (records[0].Seq == meta.NextSeq && (records[0].Prev == meta.Prev || records[0].Prev.IsNone)));
        long keep = 0;
        if (!follows)
        {
            Rechain(records);
        }
        else if (records.Count > 0 && !journal.Damaged && FreeBytes() < _options.MinFreeBytes)
        {
            _unmoved.AddRange(records);
            keep = journal.ValidLength;
        }
        else if (records.Count > 0)
        {
            InTransaction(() => InsertMoved(records));
        }

        if (records.Count > 0)
        {
            LogJournalReplayed(_logger, directory, records.Count, keep > 0 ? 0 : records.Count);
        }

        if (journal.Damaged)
        {
            InTransaction(() =>
            {
                var head = ChainMeta.Read(_meta);
                head.NextSeq = Math.Max(head.NextSeq, _reservation.ReservedUpTo);
                head.Prev = EventId.None;
                head.Write(_meta);
            });
            var aside = CustodyJournal.MoveAside(directory, _timeProvider.GetUtcNow());
            JournalMovedAside = aside;
            LogJournalMovedAside(_logger, aside, journal.Records.Count, journal.CutBytes);
        }
        else if (journal.CutBytes > 0)
        {
            LogJournalTailCut(_logger, directory, journal.CutBytes);
        }

        meta = ChainMeta.Read(_meta);
        (_nextSeq, _prev, _storedCustody) = (meta.NextSeq, meta.Prev, meta.PendingCustody);
        if (keep > 0)
        {
            _nextSeq = _unmoved[^1].Seq + 1;
            _prev = _unmoved[^1].EventId;
        }

        _journal = CustodyJournal.Open(directory, keep);
        _journal.MarkMoved(meta.NextSeq);
    }

    // In a transaction, under _chain: records that cannot continue the store's chain (the store was replaced) are
    // re-signed onto a new chain above every seq the reservation says may have been used, the first with prev all zeros:
    // the same rule as a restart after a rejection (Restart), so no confirmed scan is dropped and no seq is reused.
    private void Rechain(List<JournalRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        long start = 0;
        InTransaction(() =>
        {
            var meta = ChainMeta.Read(_meta);
            start = Math.Max(meta.NextSeq, _reservation.ReservedUpTo);
            _reservation.Cover(start + records.Count - 1);
            var prev = EventId.None;
            var moved = new List<JournalRecord>(records.Count);
            for (var i = 0; i < records.Count; i++)
            {
                var payload = ChainPosition.Move(records[i].Envelope.Payload.Span, start + i, prev);
                var envelope = _identity.Signer.Sign(payload, EventVocabulary.PayloadType);
                moved.Add(new JournalRecord(start + i, prev, records[i].CreatedTicks, envelope));
                prev = envelope.EventId;
            }

            meta.NextSeq = start;
            meta.Prev = EventId.None;
            meta.Write(_meta);
            InsertMoved(moved);
        });
        LogChainRestarted(_logger, start);
    }

    private void InitializeCore(string? movedAside)
    {
        MovedAside = movedAside ?? MovedAside;
        var meta = ChainMeta.Read(_meta);
        if (meta.IsNew)
        {
            // A new store continues above every seq the reservation says may have been used (lost or corrupt store).
            meta.NextSeq = _reservation.ReservedUpTo;
            meta.ChainStart = meta.NextSeq;
            meta.RecoveredFrom = movedAside;
            meta.RecoveredAt = movedAside is null ? null : _timeProvider.GetUtcNow();
            meta.Format = CurrentFormat;
            meta.KeyId = _identity.Signer.KeyId.Bytes.ToArray();
            InTransaction(() => meta.Write(_meta));
            if (meta.NextSeq > 0)
            {
                LogChainRestarted(_logger, meta.NextSeq);
            }
        }
        else if (meta.Format < CurrentFormat)
        {
            Upgrade(meta);
        }

        _storeKeyId = KeyIdOf(meta.KeyId!);

        // The indexes a store of format 0 had on events and format 1 does not: each drop is its own transaction, so one
        // interrupted by a crash is done at the next open (dropping an index that is gone does nothing).
        _events.DropIndex(EventIdField);
        _events.DropIndex("qd");
        _events.DropIndex("qr");
        _lastStatus = ReadStatus(_events, _drafts, _meta);
    }

    // A store written by an agent before format 1 (an existing outbox on a device): its queued sensor drafts move to the
    // drafts collection, in their order, in one transaction with the format. Its chained entries keep their encoded
    // envelopes and are sent as stored (EnvelopeOf reads both layouts); one re-signed after a rejection is written anew.
    private void Upgrade(ChainMeta meta)
    {
        var drafts = _events.Query().Where(Query.GT("qd", -1L)).OrderBy("qd").ToList();
        InTransaction(() =>
        {
            foreach (var doc in drafts)
            {
                _events.Delete(doc["_id"]);
                doc.Remove("_id");
                _drafts.Insert(doc);
            }

            meta.Format = CurrentFormat;
            meta.KeyId = _identity.Signer.KeyId.Bytes.ToArray();
            meta.Write(_meta);
        });
        LogUpgraded(_logger, Path, drafts.Count);
    }

    // Why a new event cannot be stored now (the store is closed, or the disk is below the minimum), or null.
    private AppendResult? RefusalForNewEvent()
    {
        if (!EnsureOpen())
        {
            return AppendResult.Refused(StatusOfClosed(), _closedReason! + "; the scan was not recorded");
        }

        return RefusalForLowSpace();
    }

    // Under _chain: why a custody event cannot be journaled now, or null. The journal's own failures are caught by Append.
    private AppendResult? RefusalForNewCustody()
    {
        if (_closedReason is { } closed)
        {
            return AppendResult.Refused(StatusOfClosed(), closed + "; the scan was not recorded");
        }

        if (_journal.IsBroken)
        {
            return AppendResult.Refused(
                AppendStatus.Unavailable, $"{UnavailableCode}: {_journal.Path} could not be cut back after a failed write; the scan was not recorded");
        }

        return RefusalForLowSpace();
    }

    // Below the free-space minimum nothing new is written (LiteDB must never meet ENOSPC; class remarks).
    private AppendResult? RefusalForLowSpace()
    {
        var free = FreeBytes();
        return free < _options.MinFreeBytes
            ? AppendResult.Refused(AppendStatus.DiskFull, DiskFullReason(free) + "; the scan was not recorded")
            : null;
    }

    // The red reason for a failed write: disk_full when the disk is (nearly) full, else outbox_unavailable.
    private string ReasonOf(Exception failure)
    {
        var free = FreeBytes();
        return free < _options.MinFreeBytes || failure is IOException { HResult: NoSpaceLeft }
            ? DiskFullReason(free)
            : $"{UnavailableCode}: {failure.Message}";
    }

    private static AppendStatus StatusOf(string reason) =>
        reason.StartsWith(DiskFullCode, StringComparison.Ordinal) ? AppendStatus.DiskFull : AppendStatus.Unavailable;

    private AppendStatus StatusOfClosed() => StatusOf(_closedReason!);

    private string DiskFullReason(long free) =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{DiskFullCode}: {free / 1024} KiB free in {_directory}, below Outbox:MinFreeBytes ({_options.MinFreeBytes / 1024} KiB)");

    private long FreeBytes() => new DriveInfo(_directory).AvailableFreeSpace;

    private SensorAppendResult Unstored(int reports, string reason)
    {
        _unstoredReports += reports;
        LogSensorUnstored(_logger, reports, reason, _unstoredReports);
        return new SensorAppendResult(reports, _lastStatus.Gaps + _unstoredReports, Stored: false);
    }

    // What a broken or full disk throws through LiteDB: the I/O error itself, or LiteDB's own error or disposed engine
    // after it (LiteDB 5.0 shuts its engine down on a failed write).
    private static bool IsStorageFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or LiteException or ObjectDisposedException;

    // After a failed write LiteDB's engine answers every call with an error, so the store is closed and reopened later.
    private void Close(Exception failure)
    {
        _closedReason = ReasonOf(failure);
        _reopenAfter = _timeProvider.GetTimestamp() + (long)(ReopenInterval.TotalSeconds * _timeProvider.TimestampFrequency);
        LogStoreClosed(_logger, Path, _closedReason, failure);
        try
        {
            _db.Dispose();
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            // The engine is already broken; the file is what the next open recovers from.
        }

        _log.Dispose();
        _data.Dispose();
    }

    // True when the store is open; reopens a closed one at most once per ReopenInterval, and only with room on the disk:
    // opening replays LiteDB's log, which needs space, and retrying in a tight loop on a full disk only burns the CPU.
    private bool EnsureOpen()
    {
        if (_closedReason is null)
        {
            return true;
        }

        var now = _timeProvider.GetTimestamp();
        if (now < _reopenAfter)
        {
            return false;
        }

        _reopenAfter = now + (long)(ReopenInterval.TotalSeconds * _timeProvider.TimestampFrequency);
        var free = FreeBytes();
        if (free < _options.MinFreeBytes)
        {
            _closedReason = DiskFullReason(free);
            return false;
        }

        string? movedAside = null;
        (LiteDatabase Db, DurableFileStream Data, DurableFileStream Log) opened;
        try
        {
            try
            {
                opened = OpenChecked(Path);
            }
            catch (Exception e) when (e is not (IOException or UnauthorizedAccessException or OutOfMemoryException))
            {
                // The failed write left a file LiteDB cannot read: the same rule as at start (Open).
                movedAside = MoveAside(Path, _timeProvider.GetUtcNow());
                LogMovedAside(_logger, Path, movedAside, e.Message);
                opened = OpenChecked(Path);
            }
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            _closedReason = $"{UnavailableCode}: {e.Message}";
            LogReopenFailed(_logger, Path, e.Message);
            return false;
        }

        _db = opened.Db;
        _data = opened.Data;
        _log = opened.Log;
        _events = _db.GetCollection("events", BsonAutoId.Int64);
        _drafts = _db.GetCollection("drafts", BsonAutoId.Int64);
        _meta = _db.GetCollection("meta");
        _closedReason = null;

        // Attempt counts are per entry id of the store that was closed; a moved-aside store's ids start again.
        _attempts.Clear();
        _handedOut.Clear();
        _learned = false;
        try
        {
            InitializeCore(movedAside);
            lock (_chain)
            {
                // A store replaced at the reopen cannot take the journal's records where they stand: they are re-signed
                // onto its fresh chain. Otherwise they wait for the mover, and the head stays the chain's.
                if (movedAside is not null)
                {
                    var records = _unmoved.Count;
                    Rechain([.. _unmoved]);
                    var meta = ChainMeta.Read(_meta);
                    (_nextSeq, _prev) = (meta.NextSeq, meta.Prev);
                    Moved(records, meta);
                }
                else
                {
                    _storedCustody = ChainMeta.Read(_meta).PendingCustody;
                }
            }
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            Close(e);
            return false;
        }

        LogReopened(_logger, Path, free / 1024);
        return true;
    }

    // See MarkRejected: moves every pending event after the first rejected one to a new chain. Returns how many moved and
    // the seq the new chain starts at (null when the chain needs no restart: the rejected events were not its head and
    // nothing after them waits).
    private (int Moved, long? StartSeq) Restart(ChainMeta meta, long firstRejected, HashSet<EventId> rejected)
    {
        var later = _events.Query().Where(BsonExpression.Create("ps > @0", new BsonValue(firstRejected))).OrderBy("ps").ToList();
        if (later.Count == 0)
        {
            if (!rejected.Contains(meta.Prev))
            {
                return (0, null);
            }

            meta.Prev = EventId.None;
            return (0, meta.NextSeq);
        }

        var start = meta.NextSeq;
        var seq = start;
        var prev = EventId.None;
        _reservation.Cover(start + later.Count - 1);
        foreach (var doc in later)
        {
            var old = PayloadOf(doc);
            var envelope = _identity.Signer.Sign(ChainPosition.Move(old, seq, prev), EventVocabulary.PayloadType);
            _handedOut.Remove(doc[EventIdField].IsBinary ? EventId.FromBytes(doc[EventIdField].AsBinary) : EventId.Compute(old));
            doc[FormerSeqField] = doc["seq"].AsInt64;
            doc["seq"] = seq;
            doc["ps"] = seq;
            PutEnvelope(doc, envelope, prev.IsNone);
            _attempts.Remove(doc["_id"].AsInt64);
            _events.Update(doc);
            prev = envelope.EventId;
            seq++;
        }

        meta.NextSeq = seq;
        meta.Prev = prev;
        return (later.Count, start);
    }

    // Chains queued drafts: each leaves the drafts collection and becomes a pending event (a new entry, new _id).
    // Under _chain, with the journal copied into the store: the store's head is the chain's.
    private ChainMeta ChainQueued(List<BsonDocument> drafts, List<OutboxEntry> entries)
    {
        var meta = ChainMeta.Read(_meta);
        foreach (var draftDoc in drafts)
        {
            var (draft, bootId, clockSynced) = SensorDraft.FromBson(draftDoc["d"].AsDocument);
            var stamp = new DeviceStamp(_identity.DeviceId, meta.NextSeq, meta.Prev, bootId, clockSynced);
            var envelope = _identity.Signer.Sign(EventCodec.Encode(draft.Build(stamp)), EventVocabulary.PayloadType);
            _reservation.Cover(stamp.Seq);
            var doc = new BsonDocument
            {
                ["k"] = SensorCode,
                ["st"] = Pending,
                ["seq"] = stamp.Seq,
                ["ps"] = stamp.Seq,
                ["t"] = draftDoc["t"],
                ["ut"] = draftDoc["ut"],
            };
            PutEnvelope(doc, envelope, stamp.Prev.IsNone);
            _drafts.Delete(draftDoc["_id"]);
            _events.Insert(doc);
            meta.NextSeq++;
            meta.Prev = envelope.EventId;
            meta.QueuedSensor--;
            meta.PendingSensor++;
            entries.Add(HandOut(doc));
        }

        meta.Write(_meta);
        return meta;
    }

    // A report must fit a payload (PROTOCOL.md §2.1: 64 KiB) once chained. The probe stamp is the longest a stamp can be
    // (the largest seq, clockSynced "false"), so a report that fits now fits with its real stamp; one that does not is
    // halved until each part fits. An alarm is one sample and always fits.
    private void SplitToFit(SensorDraft draft, List<SensorDraft> parts)
    {
        var probe = new DeviceStamp(_identity.DeviceId, DeviceStamp.MaxSeq, EventId.Compute([]), _bootId, ClockSynced: false);
        if (draft.IsAlarm || draft.Samples.Count == 1 || EventCodec.Encode(draft.Build(probe)).Length <= EventCodec.MaxPayloadBytes)
        {
            parts.Add(draft);
            return;
        }

        var half = draft.Samples.Count / 2;
        SplitToFit(SensorDraft.Report(draft.Time, draft.Site, draft.Asset, [.. draft.Samples.Take(half)]), parts);
        SplitToFit(SensorDraft.Report(draft.Time, draft.Site, draft.Asset, [.. draft.Samples.Skip(half)]), parts);
    }

    private bool DropOldestQueued()
    {
        var victim = _drafts.Query().Where(Query.GT("qr", -1L)).OrderBy("qr").Limit(1).FirstOrDefault()
            ?? _drafts.Query().Where(Query.GT("qd", -1L)).OrderBy("qd").Limit(1).FirstOrDefault();
        return victim is not null && _drafts.Delete(victim["_id"]);
    }

    // The pending entry of an event id, from the map of handed-out events; the first miss of an open store reads the
    // lowest AckLookupWindow pending events into the map (an earlier process sent them, and their acks may arrive before
    // this process hands them out again). The event id has no index: an index costs every entry about 60 B on disk and
    // every insert and delete a node, for a lookup that only acks from before a restart need.
    private HandedOut? FindPending(EventId eventId)
    {
        if (_handedOut.TryGetValue(eventId, out var entry))
        {
            return entry;
        }

        if (_learned)
        {
            return null;
        }

        _learned = true;
        foreach (var doc in _events.Query().Where(BsonExpression.Create("ps > @0", new BsonValue(-1L))).OrderBy("ps").Limit(AckLookupWindow).ToEnumerable())
        {
            _handedOut.TryAdd(EventIdOf(doc), HandedOut.Of(doc));
        }

        return _handedOut.TryGetValue(eventId, out entry) ? entry : null;
    }

    // LiteDB 5.0 commit hands the log pages to a background writer and returns before they are written. A checkpoint
    // waits for that writer, then copies the log into the data file and flushes it; with DurableFileStream the flush is
    // an fsync. So after this returns the transaction is on disk, and a read-only reader (status) sees it. The log holds
    // one transaction at a time, so the copy is small; a station makes a few events a minute. (A commit without the
    // checkpoint stays invisible to a read-only reader until the next one: that is why acks take the fsync too, and
    // why delivery applies all acks that arrived together in one transaction.)
    private void InTransaction(Action work)
    {
        _db.BeginTrans();
        try
        {
            work();
            _db.Commit();
            _db.Checkpoint();
        }
        catch
        {
            try
            {
                _db.Rollback();
            }
            catch (Exception e) when (IsStorageFailure(e))
            {
                // The engine broke with the write; the first exception is the one to report.
            }

            _handedOut.Clear();
            _learned = false;
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal {Path} could not be emptied ({Reason}): custody scans are refused until it is")]
    private static partial void LogJournalNotEmptied(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Journal in {Directory}: {Records} custody event(s) not yet in the store found at open, {Stored} stored now")]
    private static partial void LogJournalReplayed(ILogger logger, string directory, int records, int stored);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal in {Directory}: {Bytes} byte(s) after the last whole record ignored (an append cut off by a crash, never confirmed, or records the store holds)")]
    private static partial void LogJournalTailCut(ILogger logger, string directory, long bytes);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Journal damaged inside: moved aside to {MovedTo}; {Kept} record(s) before the damage kept, {Bytes} byte(s) after it lost; the chain restarts above the seq reservation")]
    private static partial void LogJournalMovedAside(ILogger logger, string movedTo, int kept, long bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Custody event refused: {Reason}")]
    private static partial void LogCustodyRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reports} sensor report(s) not stored ({Reason}): counted as gaps, {Unstored} since the store last took one")]
    private static partial void LogSensorUnstored(ILogger logger, int reports, string reason, long unstored);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Outbox {Path} failed to write and is closed until the disk has room ({Reason})")]
    private static partial void LogStoreClosed(ILogger logger, string path, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox {Path} could not be reopened: {Reason}")]
    private static partial void LogReopenFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox {Path} reopened with {FreeKiB} KiB free: events are stored again")]
    private static partial void LogReopened(ILogger logger, string path, long freeKiB);

    /// <summary>A pending event handed to delivery: where it is in the store, its seq and kind.</summary>
    private readonly record struct HandedOut(long Id, long Seq, OutboxKind Kind)
    {
        public static HandedOut Of(BsonDocument doc) => new(doc["_id"].AsInt64, doc["seq"].AsInt64, KindOf(doc));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox {Path} converted to entry format 1: {Drafts} queued sensor report(s) moved to their own collection")]
    private static partial void LogUpgraded(ILogger logger, string path, int drafts);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Outbox {Path} could not be read ({Reason}); moved aside to {MovedTo} and started a fresh store")]
    private static partial void LogMovedAside(ILogger logger, string path, string movedTo, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox chain starts at seq {Seq} with no previous event: the earlier store was lost or corrupt")]
    private static partial void LogChainRestarted(ILogger logger, long seq);

    [LoggerMessage(Level = LogLevel.Error, Message = "Custody outbox full with {Pending} events waiting for the hub: scan refused")]
    private static partial void LogCustodyQuotaFull(ILogger logger, long pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sensor outbox full: dropped {Dropped} oldest report(s), {TotalGaps} dropped in all")]
    private static partial void LogSensorDropped(ILogger logger, int dropped, long totalGaps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chain restarted after the hub rejected seq {Rejected}: the next event starts a new chain at seq {Start} with no previous event; {Moved} waiting event(s) re-signed onto it")]
    private static partial void LogChainRestartedAfterRejection(ILogger logger, long rejected, long start, int moved);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub rejected event seq {Seq} ({EventId}): {Reason}")]
    private static partial void LogRejected(ILogger logger, long seq, string eventId, string reason);
}
