using LiteDB;
using EventId = SupplyChain.Contracts.Signing.EventId;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Hub.Ingest;

/// <summary>Chain heads in <c>chains.db</c> in the data directory: collection <c>heads</c>, <c>_id</c> = device id.</summary>
internal sealed class LiteDbChainHeadStore(string path) : IChainHeadStore, IDisposable
{
    public const string FileName = "chains.db";

    private readonly LiteDatabase _db = new(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });

    private ILiteCollection<BsonDocument> Heads => _db.GetCollection("heads");

    public ChainHead? Read(DeviceId device)
    {
        var document = Heads.FindById(device.Value);
        return document is null ? null : new ChainHead(document["seq"].AsInt64, EventId.FromBytes(document["id"].AsBinary));
    }

    public void Write(DeviceId device, ChainHead head) =>
        Heads.Upsert(new BsonDocument { ["_id"] = device.Value, ["seq"] = head.Seq, ["id"] = head.EventId.Bytes.ToArray() });

    public void Dispose() => _db.Dispose();
}
