using System.Buffers.Binary;
using System.Text;
using LiteDB;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Tests.Log;

/// <summary>
/// The log's append-only entry files (<c>log.leaves</c>, <c>log.leafindex</c>) under a LiteDB hub: what survives a torn
/// write, duplicates found after a restart, and a log written before the files moved into them.
/// </summary>
public sealed class LogEntryFilesTests
{
    private readonly string _directory = LogHarness.NewDirectory();

    private string LogPath => Path.Combine(_directory, "log.db");

    [Fact]
    public void Sequence_ReopenedStore_ReadsEveryEntryAndAnswersResendsWithTheirIndex()
    {
        using (var store = new LiteDbLogStore(LogPath))
        {
            store.Sequence([.. Enumerable.Range(0, 300).Select(Entry)]);
            store.Sequence([Entry(300), Entry(5), Entry(301), Entry(301)]);
        }

        using var reopened = new LiteDbLogStore(LogPath);
        var again = reopened.Sequence([Entry(7), Entry(302), Entry(299)]);

        Assert.Equal(303, reopened.ReadState().SequencedSize);
        Assert.Equal([(7L, true), (302L, false), (299L, true)], again.Select(r => (r.Index, r.IsDuplicate)));
        var all = reopened.ReadEntries(0, 400);
        Assert.Equal(303, all.Count);
        for (var i = 0; i < all.Count; i++)
        {
            Assert.Equal(i, all[i].Index);
            Assert.Equal(Entry(i).Leaf, all[i].Leaf);
            Assert.Equal(Rfc9162.HashLeaf(all[i].Leaf), all[i].LeafHash);
        }

        Assert.Equal(123, reopened.FindByLeafHash(Entry(123).LeafHash));
        Assert.Null(reopened.FindByLeafHash(Entry(999).LeafHash));
        Assert.Equal(Entry(42).Leaf, reopened.ReadEntry(42)!.Leaf);
        Assert.Null(reopened.ReadEntry(303));
    }

    [Fact]
    public void ReadEntries_MoreLeafBytesThanOneRead_EveryEntryWhole()
    {
        // 150 leaves of 60,000 bytes: 9 MB, more than one read of the leaves file brings in (4 MiB).
        var big = Enumerable.Range(0, 150).Select(i => Big(i)).ToList();
        using var store = new LiteDbLogStore(LogPath);
        store.Sequence(big);

        var read = store.ReadEntries(0, 150);

        Assert.Equal(big.Select(e => e.Leaf), read.Select(e => e.Leaf));
        Assert.Equal(big.Select(e => e.LeafHash), read.Select(e => e.LeafHash));

        static PendingEntry Big(int i)
        {
            var body = new byte[60_000];
            new Random(i).NextBytes(body);
            var leaf = LogLeaf.Encode(LogLeafKind.DeviceEvent, body);
            return new PendingEntry(leaf, Rfc9162.HashLeaf(leaf));
        }
    }

    [Fact]
    public void Open_TornTailOfBothFiles_CutOffAndTheNextEntryTakesItsIndex()
    {
        using (var store = new LiteDbLogStore(LogPath))
        {
            store.Sequence([.. Enumerable.Range(0, 10).Select(Entry)]);
        }

        var leavesLength = new FileInfo(LeavesPath).Length;

        // A batch cut short by a crash: half its leaves written, and a whole index record naming bytes beyond them plus
        // part of another record.
        using (var leaves = new FileStream(LeavesPath, FileMode.Append))
        {
            leaves.Write(Entry(10).Leaf.AsSpan(0, 5));
        }

        var record = new byte[LogEntryFiles.RecordSize + 20];
        BinaryPrimitives.WriteInt64LittleEndian(record, leavesLength);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(8), Entry(10).Leaf.Length);
        using (var index = new FileStream(IndexPath, FileMode.Append))
        {
            index.Write(record);
        }

        using var reopened = new LiteDbLogStore(LogPath);

        Assert.Equal(10, reopened.ReadState().SequencedSize);
        Assert.Equal(leavesLength, new FileInfo(LeavesPath).Length);
        Assert.Equal(10 * LogEntryFiles.RecordSize, new FileInfo(IndexPath).Length);
        var next = reopened.Sequence([Entry(10)])[0];
        Assert.Equal((10L, false), (next.Index, next.IsDuplicate));
        Assert.Equal(Entry(10).Leaf, reopened.ReadEntry(10)!.Leaf);
        Assert.Equal(Entry(9).Leaf, reopened.ReadEntry(9)!.Leaf);
    }

    [Fact]
    public void Open_ZeroFilledTails_CutOffAndNothingZeroIsServed()
    {
        using (var store = new LiteDbLogStore(LogPath))
        {
            store.Sequence([.. Enumerable.Range(0, 10).Select(Entry)]);
        }

        var leavesLength = new FileInfo(LeavesPath).Length;

        // What a file system may leave after a crash: the files' sizes grown, their new blocks zero. One record is
        // right in shape (it starts where entry 9 ends, its length is entry 10's) but its leaf bytes are zeros; after
        // it, two all-zero records.
        var record = new byte[LogEntryFiles.RecordSize];
        BinaryPrimitives.WriteInt64LittleEndian(record, leavesLength);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(8), Entry(10).Leaf.Length);
        Entry(10).LeafHash.CopyTo(record, 16);
        using (var index = new FileStream(IndexPath, FileMode.Append))
        {
            index.Write(record);
            index.Write(new byte[2 * LogEntryFiles.RecordSize]);
        }

        using (var leaves = new FileStream(LeavesPath, FileMode.Append))
        {
            leaves.Write(new byte[Entry(10).Leaf.Length + 100]);
        }

        using var reopened = new LiteDbLogStore(LogPath);

        Assert.Equal(10, reopened.ReadState().SequencedSize);
        Assert.Equal(leavesLength, new FileInfo(LeavesPath).Length);
        Assert.Null(reopened.FindByLeafHash(Entry(10).LeafHash));
        var next = reopened.Sequence([Entry(10)])[0];
        Assert.Equal((10L, false), (next.Index, next.IsDuplicate));
        Assert.Equal(Entry(10).Leaf, reopened.ReadEntry(10)!.Leaf);
    }

    [Fact]
    public void Open_LogWrittenBeforeTheEntryFiles_EntriesMovedWithTheirIndexesAndTheCollectionDropped()
    {
        // The layout of earlier hubs: entries in log.db's "entries" collection, the sequenced size in "meta".
        using (var db = new LiteDatabase(new ConnectionString { Filename = LogPath, Connection = ConnectionType.Direct }))
        {
            var entries = db.GetCollection("entries", BsonAutoId.Int64);
            entries.EnsureIndex("lh", unique: true);
            for (var i = 0; i < 5000; i++)
            {
                var entry = Entry(i);
                entries.Insert(new BsonDocument { ["_id"] = (long)i, ["lh"] = entry.LeafHash, ["leaf"] = entry.Leaf });
            }

            db.GetCollection("meta").Upsert(new BsonDocument { ["_id"] = "sequenced", ["value"] = 5000L });
        }

        using (var store = new LiteDbLogStore(LogPath))
        {
            Assert.Equal(5000, store.ReadState().SequencedSize);
            Assert.Equal(4321, store.FindByLeafHash(Entry(4321).LeafHash));
            var next = store.Sequence([Entry(5000), Entry(17)]);
            Assert.Equal([(5000L, false), (17L, true)], next.Select(r => (r.Index, r.IsDuplicate)));
        }

        using (var db = new LiteDatabase(new ConnectionString { Filename = LogPath, Connection = ConnectionType.Direct }))
        {
            Assert.False(db.CollectionExists("entries"));
        }

        using var reopened = new LiteDbLogStore(LogPath);
        Assert.Equal(5001, reopened.ReadState().SequencedSize);
        Assert.Equal([.. Enumerable.Range(0, 5001).Select(i => Entry(i).Leaf)], reopened.ReadEntries(0, 6000).Select(e => e.Leaf));
    }

    [Fact]
    public async Task Start_EntryFilesShorterThanTheSignedTree_HubRefusesToStart()
    {
        await using (var log = await LogHarness.StartAsync(_directory))
        {
            await Task.WhenAll(Enumerable.Range(0, 40).Select(i => log.AppendAsync($"decision {i}")));
            log.Integrator.IntegrateOnce();
        }

        // An old copy of the entry files beside a newer log.db: 30 of the 40 signed entries.
        using (var index = new FileStream(IndexPath, FileMode.Open))
        {
            index.SetLength(30 * LogEntryFiles.RecordSize);
        }

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => LogHarness.StartAsync(_directory));
        Assert.Contains("the tree covers 40 entries but only 30 are stored", refused.Message, StringComparison.Ordinal);
    }

    private string LeavesPath => Path.Combine(_directory, "log.leaves");

    private string IndexPath => Path.Combine(_directory, "log.leafindex");

    private static PendingEntry Entry(int i)
    {
        var leaf = LogLeaf.Encode(LogLeafKind.DeviceEvent, Encoding.UTF8.GetBytes($"entry {i} " + new string('x', i % 97)));
        return new PendingEntry(leaf, Rfc9162.HashLeaf(leaf));
    }
}
