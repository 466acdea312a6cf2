using LiteDB;
using SupplyChain.Hub.Storage;

namespace SupplyChain.Hub.Log;

/// <summary>
/// The log in one LiteDB file. Collections: <c>entries</c> (_id = index, <c>lh</c> = leaf hash, unique; <c>leaf</c> = bytes), <c>tiles</c> (_id = <see cref="TileId.Key"/>, <c>h</c> = hashes), <c>checkpoints</c> (_id = size)
/// and <c>meta</c> (the sequenced and integrated sizes).
/// <para>
/// On a full disk (docs/RELIABILITY.md "Disk full and corrupt stores") a write is refused before LiteDB is touched
/// (<see cref="DiskRoom"/>), and a write that fails anyway marks the store broken: LiteDB 5.0 answers every later call with
/// an error, so the next call, once there is room, closes it and opens the file again, which replays LiteDB's log. No
/// restart is needed, and an entry is only ever acknowledged after its commit and checkpoint returned.
/// </para>
/// </summary>
internal sealed class LiteDbLogStore : ILogStore
{
    private const string SequencedKey = "sequenced";
    private const string IntegratedKey = "integrated";

    private readonly string _path;
    private readonly long _minFreeBytes;

    // Replaced when a broken store is reopened (EnsureOpen).
    private readonly bool _durable;

    private FileStream _data;
    private FileStream _log;
    private LiteDatabase _db;
    private ILiteCollection<BsonDocument> _entries;
    private ILiteCollection<BsonDocument> _tiles;
    private ILiteCollection<BsonDocument> _checkpoints;
    private ILiteCollection<BsonDocument> _meta;
    private bool _broken;

    // LiteDB transactions belong to a thread; one lock keeps each of our transactions whole. Reads take it too: LiteDB
    // 5.0.x readers running beside a commit that creates a collection or a checkpoint have failed with "page type must be
    // collection page" and left the engine unusable until restart (LiteDB #2792, #2825). Proof reads mostly hit the
    // reader's tile cache, so serialising the store costs little.
    private readonly Lock _gate = new();

    // The newest entries, by index modulo the capacity, as committed: the custody state and the integrator read what was
    // just sequenced, and reading it here instead of from LiteDB keeps them from queueing behind the next durable commit
    // on _gate. Entries never change once committed, so a cached one is what the file holds.
    private readonly StoredEntry?[] _recent = new StoredEntry?[RecentCapacity];
    private readonly Lock _recentGate = new();

    /// <summary>How many of the newest entries <see cref="ReadEntries"/> serves from memory.</summary>
    public const int RecentCapacity = 8192;

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
        _entries = _db.GetCollection("entries", BsonAutoId.Int64);
        _tiles = _db.GetCollection("tiles", BsonAutoId.Int64);
        _checkpoints = _db.GetCollection("checkpoints", BsonAutoId.Int64);
        _meta = _db.GetCollection("meta", BsonAutoId.ObjectId);
        // One index only: an index on random 32-byte keys is what limits LiteDB's insert rate (docs/BENCHMARKS.md).
        _entries.EnsureIndex("lh", unique: true);
    }

    public LogState ReadState() => Guarded(() => new LogState(ReadCounter(SequencedKey), ReadCounter(IntegratedKey)));

    public IReadOnlyList<SequenceResult> Sequence(IReadOnlyList<PendingEntry> batch)
    {
        var results = new SequenceResult[batch.Count];
        var stored = new List<StoredEntry>(batch.Count);
        lock (_gate)
        {
            DiskRoom.Ensure(_path, _minFreeBytes);
            EnsureOpen();
            _db.BeginTrans();
            try
            {
                var next = ReadCounter(SequencedKey);

                // One index query for the whole batch, with the hashes as a parameter: Query.In writes them into the
                // expression's text, so LiteDB parsed and compiled a new expression for every batch (a fifth of the hub's
                // CPU under load, docs/BENCHMARKS.md "Whole system"); "lh IN @0" is compiled once and cached.
                var hashes = new BsonArray(batch.Select(entry => new BsonValue(entry.LeafHash)));
                var known = _entries.Find(BsonExpression.Create("lh IN @0", hashes))
                    .ToDictionary(doc => Convert.ToHexString(doc["lh"].AsBinary), doc => doc["_id"].AsInt64, StringComparer.Ordinal);
                for (var i = 0; i < batch.Count; i++)
                {
                    var entry = batch[i];
                    var key = Convert.ToHexString(entry.LeafHash);
                    if (known.TryGetValue(key, out var existing))
                    {
                        results[i] = new SequenceResult(existing, IsDuplicate: true);
                        continue;
                    }

                    _entries.Insert(new BsonDocument
                    {
                        ["_id"] = next,
                        ["lh"] = entry.LeafHash,
                        ["leaf"] = entry.Leaf,
                    });
                    known[key] = next;
                    stored.Add(new StoredEntry(next, entry.Leaf, entry.LeafHash));
                    results[i] = new SequenceResult(next, IsDuplicate: false);
                    next++;
                }

                WriteCounter(SequencedKey, next);
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

        lock (_recentGate)
        {
            foreach (var entry in stored)
            {
                _recent[entry.Index % RecentCapacity] = entry;
            }
        }

        return results;
    }

    public StoredEntry? ReadEntry(long index)
    {
        lock (_recentGate)
        {
            if (Recent(index) is { } recent)
            {
                return recent;
            }
        }

        return Guarded(() => _entries.FindById(index) is { } doc ? ToEntry(doc) : null);
    }

    public IReadOnlyList<StoredEntry> ReadEntries(long start, int count)
    {
        if (count <= 0)
        {
            return [];
        }

        lock (_recentGate)
        {
            var cached = new List<StoredEntry>(count);
            for (var index = start; index < start + count && Recent(index) is { } recent; index++)
            {
                cached.Add(recent);
            }

            if (cached.Count == count)
            {
                return cached;
            }
        }

        return Guarded(() => _entries.Find(Query.Between("_id", start, start + count - 1)).Select(ToEntry).ToList());
    }

    public long? FindByLeafHash(ReadOnlySpan<byte> leafHash)
    {
        var key = leafHash.ToArray();
        return Guarded(() => _entries.FindOne(BsonExpression.Create("lh = @0", key))?["_id"].AsInt64);
    }

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

    /// <summary>Copies the LiteDB log into the data file and fsyncs both (what every commit does when durable).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            _db.Checkpoint();
            _data.Flush(flushToDisk: true);
            _log.Flush(flushToDisk: true);
        }
    }

    public void Dispose()
    {
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
        _entries = _db.GetCollection("entries", BsonAutoId.Int64);
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

    private StoredEntry? Recent(long index) =>
        _recent[index % RecentCapacity] is { } entry && entry.Index == index ? entry : null;

    private long ReadCounter(string key) => _meta.FindById(key)?["value"].AsInt64 ?? 0;

    private void WriteCounter(string key, long value) =>
        _meta.Upsert(new BsonDocument { ["_id"] = key, ["value"] = value });

    private static StoredEntry ToEntry(BsonDocument doc) =>
        new(doc["_id"].AsInt64, doc["leaf"].AsBinary, doc["lh"].AsBinary);

    private static StoredCheckpoint ToCheckpoint(BsonDocument doc) =>
        new(doc["_id"].AsInt64, doc["root"].AsBinary, doc["note"].AsString);
}
