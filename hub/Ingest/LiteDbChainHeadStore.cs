using LiteDB;
using SupplyChain.Hub.Storage;
using EventId = SupplyChain.Contracts.Signing.EventId;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Hub.Ingest;

/// <summary>
/// Chain heads in <c>chains.db</c> in the data directory: collection <c>heads</c>, <c>_id</c> = device id. On a full disk a
/// write is refused before LiteDB is touched (<see cref="DiskRoom"/>); after a write that failed anyway the database is
/// opened again by the next call that finds room (LiteDB 5.0 answers every call with an error after a failed write).
/// </summary>
internal sealed class LiteDbChainHeadStore(string path, long minFreeBytes = DiskRoom.DefaultMinFreeBytes) : IChainHeadStore, IDisposable
{
    public const string FileName = "chains.db";

    private LiteDatabase _db = Open(path);
    private bool _broken;

    // LiteDB transactions belong to a thread; the lock keeps two workers' batches apart.
    private readonly Lock _gate = new();

    private ILiteCollection<BsonDocument> Heads => _db.GetCollection("heads");

    public ChainHead? Read(DeviceId device)
    {
        lock (_gate)
        {
            EnsureOpen();
            try
            {
                var document = Heads.FindById(device.Value);
                return document is null ? null : new ChainHead(document["seq"].AsInt64, EventId.FromBytes(document["id"].AsBinary));
            }
            catch (Exception e) when (DiskRoom.IsStorageFailure(e))
            {
                _broken = true;
                throw;
            }
        }
    }

    public void Write(DeviceId device, ChainHead head) => WriteMany([new(device, head)]);

    public void WriteMany(IReadOnlyCollection<KeyValuePair<DeviceId, ChainHead>> heads)
    {
        lock (_gate)
        {
            DiskRoom.Ensure(path, minFreeBytes);
            EnsureOpen();

            // One commit for the lot: a commit per device was an eighth of the hub's CPU under load.
            _db.BeginTrans();
            try
            {
                Heads.Upsert(heads.Select(head => ToDocument(head.Key, head.Value)));
                _db.Commit();
            }
            catch (Exception e)
            {
                try
                {
                    _db.Rollback();
                }
                catch (Exception rollback) when (DiskRoom.IsStorageFailure(rollback))
                {
                    // The engine broke with the write; the first exception is the one to report.
                }

                _broken |= DiskRoom.IsStorageFailure(e);
                throw;
            }
        }
    }

    public IReadOnlyList<KeyValuePair<DeviceId, ChainHead>> ReadAll()
    {
        lock (_gate)
        {
            return [.. Heads.FindAll().Select(ToHead).OrderBy(head => head.Key.Value, StringComparer.Ordinal)];
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            Close();
        }
    }

    private static LiteDatabase Open(string path) => new(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });

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
    }

    // Under _gate: a database broken by a failed write is opened again once there is room (IOException until then).
    private void EnsureOpen()
    {
        if (!_broken)
        {
            return;
        }

        DiskRoom.Ensure(path, minFreeBytes);
        Close();
        _db = Open(path);
        _broken = false;
    }

    // Only the hub writes the file, so an id that does not parse is a broken store, not bad input.
    private static KeyValuePair<DeviceId, ChainHead> ToHead(BsonDocument document) =>
        DeviceId.TryParse(document["_id"].AsString, out var device, out var why)
            ? new(device, new ChainHead(document["seq"].AsInt64, EventId.FromBytes(document["id"].AsBinary)))
            : throw new InvalidDataException($"The chain-head store holds an unreadable device id: {why}.");

    private static BsonDocument ToDocument(DeviceId device, ChainHead head) =>
        new() { ["_id"] = device.Value, ["seq"] = head.Seq, ["id"] = head.EventId.Bytes.ToArray() };
}
