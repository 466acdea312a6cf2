using System.Collections.Concurrent;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Hub.Log;

/// <summary>What the read API asks of the log: entries and proofs against the latest checkpoint or any earlier size.</summary>
internal sealed class LogReader(ILogStore store, LogHead head)
{
    // Full tiles never change, so they can be kept; 4,096 of them are 32 MiB. Partial tiles are always read afresh.
    private const int CachedTiles = 4096;
    private readonly ConcurrentDictionary<long, byte[]> _fullTiles = new();

    // Their inner nodes too (8 KiB a tile, as many tiles): without them every proof hashed up about 250 pairs per tile
    // level, three quarters of a verification's CPU (docs/BENCHMARKS.md "Verification, recalls and growth").
    private readonly ConcurrentDictionary<long, TilePyramid> _pyramids = new();

    public StoredCheckpoint? Checkpoint => head.Current;

    public long Size => head.Current?.Size ?? 0;

    public StoredEntry? Entry(long index) => store.ReadEntry(index);

    public IReadOnlyList<StoredEntry> Entries(long start, int count) => store.ReadEntries(start, count);

    public long? IndexOfLeafHash(ReadOnlySpan<byte> leafHash) => store.FindByLeafHash(leafHash);

    /// <summary>Where a device event is in the log: its leaf is the canonical encoding of its envelope (§4.6).</summary>
    public long? IndexOfDeviceEvent(Envelope envelope) =>
        store.FindByLeafHash(LogLeaf.Hash(LogLeafKind.DeviceEvent, EnvelopeCodec.Encode(envelope)));

    public byte[]? Tile(TileId id)
    {
        if (_fullTiles.TryGetValue(id.Key, out var cached))
        {
            return cached;
        }

        var tile = store.ReadTile(id);
        if (tile is { Length: TileId.Width * Rfc9162.HashSize })
        {
            if (_fullTiles.Count >= CachedTiles)
            {
                _fullTiles.Clear();
            }

            _fullTiles[id.Key] = tile;
        }

        return tile;
    }

    /// <summary>Proof that entry <paramref name="index"/> is in the tree of <paramref name="size"/> (at most the checkpoint's).</summary>
    public List<byte[]> InclusionProof(long index, long size) => View().InclusionProof(index, size);

    public List<byte[]> ConsistencyProof(long size1, long size2) => View().ConsistencyProof(size1, size2);

    public byte[] RootAt(long size) => View().RootAt(size);

    /// <summary>An offline proof bundle (C2SP tlog-proof) for <paramref name="index"/> against the latest checkpoint.</summary>
    public string? ProofBundle(long index)
    {
        var checkpoint = head.Current;
        if (checkpoint is null || index >= checkpoint.Size)
        {
            return null;
        }

        return new TlogProof(index, InclusionProof(index, checkpoint.Size), checkpoint.Note).Format();
    }

    public static byte[] LeafHash(StoredEntry entry) => Rfc9162.HashLeaf(entry.Leaf);

    private TreeView View() => new(Tile, InnerNode);

    /// <summary>A node inside a full tile from its cached pyramid; null for a partial tile (always hashed afresh).</summary>
    private byte[]? InnerNode(TileId id, int rise, int index)
    {
        if (!_pyramids.TryGetValue(id.Key, out var pyramid))
        {
            if (Tile(id) is not { Length: TileId.Width * Rfc9162.HashSize } tile)
            {
                return null;
            }

            if (_pyramids.Count >= CachedTiles)
            {
                _pyramids.Clear();
            }

            pyramid = _pyramids[id.Key] = new TilePyramid(tile);
        }

        return pyramid.Node(rise, index);
    }
}
