using System.Collections.Concurrent;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Hub.Log;

/// <summary>What the read API asks of the log: entries and proofs against the latest checkpoint or any earlier size.</summary>
internal sealed class LogReader(ILogStore store, LogHead head, int cachedTiles = LogOptions.DefaultProofCacheTiles)
{
    // Full tiles never change, so they can be kept (Log:ProofCacheTiles, 8 KiB each plus 8 KiB of inner nodes). A cache
    // smaller than the tree is cleared whenever it fills, so random proofs then mostly miss: at 10 M entries (39,063
    // level-0 tiles) with 4,096 cached, verifications fell to a tenth of their rate at 1 M (docs/BENCHMARKS.md).
    private readonly int _cachedTiles = cachedTiles;
    private const int CachedEdgeTiles = 64;
    private readonly ConcurrentDictionary<long, byte[]> _fullTiles = new();

    // Their inner nodes too (8 KiB a tile, as many tiles): without them every proof hashed up about 250 pairs per tile
    // level, three quarters of a verification's CPU (docs/BENCHMARKS.md "Verification, recalls and growth").
    private readonly ConcurrentDictionary<long, TilePyramid> _pyramids = new();

    // Partial tiles (the right edge of each level, which every proof against the latest checkpoint touches) with the
    // checkpoint size seen before reading them. The integrator stores tiles before it moves the head, and a stored tile
    // only grows, so a tile read at size S holds every hash a proof against S or any older size needs. Their pyramids
    // are kept with the tile array they were built from.
    private readonly ConcurrentDictionary<long, (long Size, byte[] Tile)> _edgeTiles = new();
    private readonly ConcurrentDictionary<long, (byte[] Source, TilePyramid Pyramid)> _edgePyramids = new();

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

        var size = Size;
        if (_edgeTiles.TryGetValue(id.Key, out var edge) && edge.Size >= size)
        {
            return edge.Tile;
        }

        var tile = store.ReadTile(id);
        if (tile is { Length: TileId.Width * Rfc9162.HashSize })
        {
            if (_fullTiles.Count >= _cachedTiles)
            {
                _fullTiles.Clear();
            }

            _fullTiles[id.Key] = tile;
            _edgeTiles.TryRemove(id.Key, out _);
        }
        else if (tile is not null)
        {
            if (_edgeTiles.Count >= CachedEdgeTiles)
            {
                _edgeTiles.Clear();
                _edgePyramids.Clear();
            }

            _edgeTiles[id.Key] = (size, tile);
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

    /// <summary>A node inside a tile from its cached pyramid; null when the tile is not stored or lacks the node's hashes.</summary>
    private byte[]? InnerNode(TileId id, int rise, int index)
    {
        if (_pyramids.TryGetValue(id.Key, out var pyramid))
        {
            return pyramid.Node(rise, index);
        }

        var tile = Tile(id);
        if (tile is { Length: TileId.Width * Rfc9162.HashSize })
        {
            if (_pyramids.Count >= _cachedTiles)
            {
                _pyramids.Clear();
            }

            return (_pyramids[id.Key] = new TilePyramid(tile)).Node(rise, index);
        }

        if (tile is not { Length: > 0 })
        {
            return null;
        }

        if (!_edgePyramids.TryGetValue(id.Key, out var edge) || !ReferenceEquals(edge.Source, tile))
        {
            edge = (tile, new TilePyramid(tile));
            _edgePyramids[id.Key] = edge;
        }

        return edge.Pyramid.Node(rise, index);
    }
}
