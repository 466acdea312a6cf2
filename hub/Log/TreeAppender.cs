using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Hub.Log;

/// <summary>
/// Extends the tree by appending leaf hashes to the rightmost tiles. When a tile fills (256 hashes) its root becomes the
/// next hash of the tile above, so each leaf costs one leaf hash plus about one node hash. Reads untouched tiles from the
/// store; the changed ones are collected for one atomic write with the checkpoint.
/// </summary>
internal sealed class TreeAppender
{
    private readonly Func<TileId, byte[]?> _readStored;
    private readonly Dictionary<TileId, DirtyTile> _dirty = [];

    public TreeAppender(Func<TileId, byte[]?> readStored, long size)
    {
        _readStored = readStored;
        Size = size;
    }

    public long Size { get; private set; }

    public void Append(ReadOnlySpan<byte> leafHash)
    {
        AppendNode(0, Size, leafHash);
        Size++;
    }

    /// <summary>A tile as it stands now: changed in this appender, or as stored.</summary>
    public byte[]? ReadTile(TileId id) => _dirty.TryGetValue(id, out var tile) ? tile.ToArray() : _readStored(id);

    public IReadOnlyCollection<KeyValuePair<TileId, byte[]>> ChangedTiles() =>
        _dirty.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.ToArray())).ToList();

    private void AppendNode(int tileLevel, long nodeIndex, ReadOnlySpan<byte> hash)
    {
        var id = new TileId(tileLevel, nodeIndex >> TileId.Height);
        var position = (int)(nodeIndex & (TileId.Width - 1));
        if (!_dirty.TryGetValue(id, out var tile))
        {
            tile = new DirtyTile(_readStored(id));
            _dirty[id] = tile;
        }

        if (tile.Count != position)
        {
            throw new InvalidOperationException($"{id} holds {tile.Count} hashes; cannot append node {nodeIndex} at {position}.");
        }

        tile.Add(hash);
        if (tile.Count == TileId.Width)
        {
            AppendNode(tileLevel + 1, nodeIndex >> TileId.Height, TreeView.HashUp(tile.Hashes, TileId.Height));
        }
    }

    private sealed class DirtyTile
    {
        private readonly byte[] _buffer = new byte[TileId.Width * Rfc9162.HashSize];

        public DirtyTile(byte[]? stored)
        {
            if (stored is not null)
            {
                stored.CopyTo(_buffer, 0);
                Count = stored.Length / Rfc9162.HashSize;
            }
        }

        public int Count { get; private set; }

        public ReadOnlySpan<byte> Hashes => _buffer.AsSpan(0, Count * Rfc9162.HashSize);

        public void Add(ReadOnlySpan<byte> hash)
        {
            hash.CopyTo(_buffer.AsSpan(Count * Rfc9162.HashSize));
            Count++;
        }

        public byte[] ToArray() => Hashes.ToArray();
    }
}
