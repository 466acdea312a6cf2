using LiteDB;
using SupplyChain.Hub.Storage;

namespace SupplyChain.Hub.Log;

/// <summary>
/// The log on a LiteDB hub: the entries in append-only files (<see cref="LogEntryFiles"/>: <c>log.leaves</c>,
/// <c>log.leafindex</c>), the tree and checkpoints in one LiteDB file, <c>log.db</c>. Collections: <c>tiles</c>
/// (_id = <see cref="TileId.Key"/>, <c>h</c> = hashes), <c>checkpoints</c> (_id = size) and <c>meta</c> (the integrated
/// size). A log written before the entry files (entries in a LiteDB collection <c>entries</c>) is moved into them at open.
/// <para>
/// On a full disk (docs/RELIABILITY.md "Disk full and corrupt stores") a write is refused before a file is touched
/// (<see cref="DiskRoom"/>); a failed append is cut off the entry files again, and a LiteDB write that fails anyway marks the store broken: LiteDB 5.0 answers every later call with
/// an error, so the next call, once there is room, closes it and opens the file again, which replays LiteDB's log. No
/// restart is needed, and an entry is only ever acknowledged after its commit and checkpoint returned.
/// </para>
/// </summary>
internal sealed class LiteDbLogStore : ILogStore
{
    private const string IntegratedKey = "integrated";
    private const string LegacyEntries = "entries";

    private readonly string _path;
    private readonly long _minFreeBytes;
    private readonly bool _durable;
    private readonly LogEntryFiles _files;

    // Replaced when a broken store is reopened (EnsureOpen).
    private FileStream _data;
    private FileStream _log;
    private LiteDatabase _db;
    private ILiteCollection<BsonDocument> _tiles;
    private ILiteCollection<BsonDocument> _checkpoints;
    private ILiteCollection<BsonDocument> _meta;
    private bool _broken;

    // LiteDB transactions belong to a thread; one lock keeps each of our transactions whole. Reads take it too: LiteDB
    // 5.0.x readers running beside a commit that creates a collection or a checkpoint have failed with "page type must be
    // collection page" and left the engine unusable until restart (LiteDB #2792, #2825). Proof reads mostly hit the
    // reader's tile cache, so serialising the LiteDB file costs little. The entry files have their own writer lock, so
    // sequencing never queues behind the integrator's commit or a tile read.
    private readonly Lock _gate = new();
    private readonly Lock _sequenceGate = new();

    /// <param name="path">The LiteDB file.</param>
    /// <param name="minFreeBytes">Free bytes the file's directory must keep for a write to be tried (<c>Log:MinFreeBytes</c>).</param>
    public LiteDbLogStore(string path, long minFreeBytes = DiskRoom.DefaultMinFreeBytes)
        : this(path, minFreeBytes, durable: true)
    {
    }

    /// <summary>
    /// With <paramref name="durable"/> false, commits are neither fsynced nor checkpointed until <see cref="Flush"/>: for
    /// building a large log offline in one go (<c>coldtrace-bench seed</c>), never for a hub, which acknowledges indexes.
    /// </summary>
    public LiteDbLogStore(string path, bool durable)
        : this(path, DiskRoom.DefaultMinFreeBytes, durable)
    {
    }

    private LiteDbLogStore(string path, long minFreeBytes, bool durable)
    {
        _path = path;
        _minFreeBytes = minFreeBytes;
        _durable = durable;
        (_data, _log, _db) = Open(path, durable);
        _tiles = _db.GetCollection("tiles", BsonAutoId.Int64);
        _checkpoints = _db.GetCollection("checkpoints", BsonAutoId.Int64);
        _meta = _db.GetCollection("meta", BsonAutoId.ObjectId);
        try
        {
            _files = LogEntryFiles.Open(path, durable);
            MoveLegacyEntries();
        }
        catch
        {
            _files?.Dispose();
            Close();
            throw;
        }
    }

    public LogState ReadState() => new(_files.Count, Guarded(() => ReadCounter(IntegratedKey)));

    public IReadOnlyList<SequenceResult> Sequence(IReadOnlyList<PendingEntry> batch)
    {
        var results = new SequenceResult[batch.Count];
        var stored = new List<PendingEntry>(batch.Count);
        lock (_sequenceGate)
        {
            // A resend of a logged entry, or the same leaf twice in this batch, gets the index it has.
            Dictionary<string, long>? inBatch = null;
            var next = _files.Count;
            for (var i = 0; i < batch.Count; i++)
            {
                var entry = batch[i];
                if (_files.Find(entry.LeafHash) is { } existing)
                {
                    results[i] = new SequenceResult(existing, IsDuplicate: true);
                    continue;
                }

                inBatch ??= new Dictionary<string, long>(StringComparer.Ordinal);
                var key = Convert.ToHexString(entry.LeafHash);
                if (inBatch.TryGetValue(key, out var earlier))
                {
                    results[i] = new SequenceResult(earlier, IsDuplicate: true);
                    continue;
                }

                inBatch[key] = next;
                stored.Add(entry);
                results[i] = new SequenceResult(next, IsDuplicate: false);
                next++;
            }

            _files.Append(stored, _minFreeBytes);
        }

        return results;
    }

    public StoredEntry? ReadEntry(long index) => _files.Read(index, 1) is [var entry] ? entry : null;

    public IReadOnlyList<StoredEntry> ReadEntries(long start, int count) => count <= 0 ? [] : _files.Read(start, count);

    public long? FindByLeafHash(ReadOnlySpan<byte> leafHash) => _files.Find(leafHash);

    public byte[]? ReadTile(TileId id) => Guarded(() => _tiles.FindById(id.Key)?["h"].AsBinary);

    public void Integrate(IReadOnlyCollection<KeyValuePair<TileId, byte[]>> tiles, StoredCheckpoint checkpoint)
    {
        lock (_gate)
        {
            DiskRoom.Ensure(_path, _minFreeBytes);
            EnsureOpen();
            _db.BeginTrans();
            try
            {
                foreach (var (id, hashes) in tiles)
                {
                    _tiles.Upsert(new BsonDocument { ["_id"] = id.Key, ["h"] = hashes });
                }

                _checkpoints.Upsert(new BsonDocument
                {
                    ["_id"] = checkpoint.Size,
                    ["root"] = checkpoint.RootHash,
                    ["note"] = checkpoint.Note,
                });
                WriteCounter(IntegratedKey, checkpoint.Size);
                Commit();
            }
            catch (Exception e)
            {
                if (Failed(e) is { } wrapped)
                {
                    throw wrapped;
                }

                throw;
            }
        }
    }

    public StoredCheckpoint? ReadLatestCheckpoint() =>
        Guarded(() => _checkpoints.Find(Query.All(Query.Descending), limit: 1).FirstOrDefault() is { } doc ? ToCheckpoint(doc) : null);

    public IEnumerable<StoredCheckpoint> ReadCheckpoints() =>
        Guarded(() => _checkpoints.Find(Query.All(Query.Ascending)).Select(ToCheckpoint).ToList());

    public StoredCheckpoint? ReadCheckpoint(long size) =>
        Guarded(() => _checkpoints.FindById(size) is { } doc ? ToCheckpoint(doc) : null);

    /// <summary>Fsyncs the entry files, copies the LiteDB log into the data file and fsyncs both (what every write does when durable).</summary>
    public void Flush()
    {
        lock (_sequenceGate)
        {
            _files.Flush();
        }

        lock (_gate)
        {
            _db.Checkpoint();
            _data.Flush(flushToDisk: true);
            _log.Flush(flushToDisk: true);
        }
    }

    public void Dispose()
    {
        lock (_sequenceGate)
        {
            _files.Dispose();
        }

        lock (_gate)
        {
            Close();
        }
    }

    private static (FileStream Data, FileStream Log, LiteDatabase Db) Open(string path, bool durable)
    {
        var logPath = Path.ChangeExtension(path, null) + "-log" + Path.GetExtension(path);
        var data = durable ? new DurableFileStream(path) : new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var log = durable ? new DurableFileStream(logPath) : new FileStream(logPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            return (data, log, new LiteDatabase(data, logStream: log));
        }
        catch
        {
            log.Dispose();
            data.Dispose();
            throw;
        }
    }

    private void Close()
    {
        try
        {
            _db.Dispose();
        }
        catch (Exception e) when (DiskRoom.IsStorageFailure(e))
        {
            // A broken engine: the file is what the next open recovers from.
        }

        _log.Dispose();
        _data.Dispose();
    }

    // Under _gate. A store broken by a failed write is closed and opened again, only with room on the disk: opening replays
    // LiteDB's log into the data file. Throws IOException while that cannot be done, which callers treat as a broken disk.
    private void EnsureOpen()
    {
        if (!_broken)
        {
            return;
        }

        DiskRoom.Ensure(_path, _minFreeBytes);
        Close();
        (_data, _log, _db) = Open(_path, _durable);
        _tiles = _db.GetCollection("tiles", BsonAutoId.Int64);
        _checkpoints = _db.GetCollection("checkpoints", BsonAutoId.Int64);
        _meta = _db.GetCollection("meta", BsonAutoId.ObjectId);
        _broken = false;
    }

    // Under _gate, in a write's catch: rolls back and marks the store broken on a storage failure. Returns an IOException
    // to throw instead of a storage failure that is not one (the sequencer and integrator take IOException as "try again
    // later"), or null to rethrow.
    private IOException? Failed(Exception e)
    {
        try
        {
            _db.Rollback();
        }
        catch (Exception rollback) when (DiskRoom.IsStorageFailure(rollback))
        {
            // The engine broke with the write; the first exception is the one to report.
        }

        if (!DiskRoom.IsStorageFailure(e))
        {
            return null;
        }

        _broken = true;
        return e is IOException ? null : new IOException($"The log store {_path} failed: {e.Message}", e);
    }

    private T Guarded<T>(Func<T> read)
    {
        lock (_gate)
        {
            EnsureOpen();
            try
            {
                return read();
            }
            catch (Exception e) when (DiskRoom.IsStorageFailure(e) && e is not IOException)
            {
                _broken = true;
                throw new IOException($"The log store {_path} failed: {e.Message}", e);
            }
            catch (IOException)
            {
                _broken = true;
                throw;
            }
        }
    }

    // LiteDB 5.0's commit returns before its background writer has put the log pages on disk, and never fsyncs. The
    // checkpoint waits for that writer and copies the log into the data file; with DurableFileStream each of its flushes
    // is an fsync. Only then is a sequenced index or a checkpoint acknowledged to anyone.
    private void Commit()
    {
        _db.Commit();
        if (_durable)
        {
            _db.Checkpoint();
        }
    }

    private long ReadCounter(string key) => _meta.FindById(key)?["value"].AsInt64 ?? 0;

    private void WriteCounter(string key, long value) =>
        _meta.Upsert(new BsonDocument { ["_id"] = key, ["value"] = value });

    // A log written before the entry files kept its entries in log.db's "entries" collection (_id = index, lh = leaf hash,
    // leaf = bytes). They are appended to the files in index order, made durable, and only then is the collection dropped;
    // a move cut short by a crash goes on from the files' count at the next open.
    private void MoveLegacyEntries()
    {
        if (!_db.CollectionExists(LegacyEntries))
        {
            return;
        }

        var legacy = _db.GetCollection(LegacyEntries, BsonAutoId.Int64);
        const int Chunk = 4096;
        while (true)
        {
            var start = _files.Count;
            var batch = legacy.Find(Query.Between("_id", start, start + Chunk - 1))
                .Select(doc => new PendingEntry(doc["leaf"].AsBinary, doc["lh"].AsBinary))
                .ToList();
            if (batch.Count == 0)
            {
                break;
            }

            _files.Append(batch, _minFreeBytes);
        }

        _files.Flush();
        _db.DropCollection(LegacyEntries);
        Commit();
    }

    private static StoredCheckpoint ToCheckpoint(BsonDocument doc) =>
        new(doc["_id"].AsInt64, doc["root"].AsBinary, doc["note"].AsString);
}
