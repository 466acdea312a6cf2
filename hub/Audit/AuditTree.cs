using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Audit;

/// <summary>
/// The tree rebuilt from leaf hashes in one pass with O(log n) memory: a compact range for the root at every size, and
/// one tile buffer per tile level, each compared with the stored tile when it fills.
/// </summary>
internal sealed class AuditTree(ILogStore store)
{
    private readonly CompactRange _range = new();
    private readonly List<List<byte[]>> _tiles = [];

    // The level-0 tile of the leaves being appended, read once for its 256 leaves instead of once per leaf (a round
    // trip each on PostgreSQL). The audited store does not change under the audit, so the copy stays true.
    private TileId _leafTileId = new(-1, -1);
    private byte[]? _leafTile;

    public long Size { get; private set; }

    /// <summary>Adds the next leaf hash; returns a failure when it or a completed tile differs from what is stored.</summary>
    public string? Append(ReadOnlySpan<byte> leafHash)
    {
        var index = Size;
        var stored = LeafTile(new TileId(0, index >> TileId.Height));
        var offset = (int)(index & (TileId.Width - 1)) * Rfc9162.HashSize;
        if (stored is null || stored.Length < offset + Rfc9162.HashSize
            || !stored.AsSpan(offset, Rfc9162.HashSize).SequenceEqual(leafHash))
        {
            return $"entry {index}: its leaf hash is not the one in the stored tree";
        }

        Size++;
        var hash = leafHash.ToArray();
        _range.Append(hash);

        return AddToTile(0, index, hash);
    }

    /// <summary>MTH of everything appended so far (RFC 9162 §2.1.1).</summary>
    public byte[] Root() => _range.Root();

    /// <summary>Compares the partly filled rightmost tiles with the stored ones.</summary>
    public string? CheckPartialTiles()
    {
        var nodes = Size;
        for (var level = 0; level < _tiles.Count; level++, nodes >>= TileId.Height)
        {
            var hashes = _tiles[level];
            if (hashes.Count == 0)
            {
                continue;
            }

            var id = new TileId(level, nodes >> TileId.Height);
            if (Compare(id, hashes) is { } failure)
            {
                return failure;
            }
        }

        return null;
    }

    private byte[]? LeafTile(TileId id)
    {
        if (id != _leafTileId)
        {
            _leafTile = store.ReadTile(id);
            _leafTileId = id;
        }

        return _leafTile;
    }

    private string? AddToTile(int level, long nodeIndex, byte[] hash)
    {
        while (_tiles.Count <= level)
        {
            _tiles.Add([]);
        }

        var hashes = _tiles[level];
        hashes.Add(hash);
        if (hashes.Count < TileId.Width)
        {
            return null;
        }

        var id = new TileId(level, nodeIndex >> TileId.Height);
        if (level > 0 && Compare(id, hashes) is { } failure)
        {
            return failure;
        }

        var root = TreeView.HashUp(hashes.SelectMany(h => h).ToArray(), TileId.Height);
        hashes.Clear();
        return AddToTile(level + 1, nodeIndex >> TileId.Height, root);
    }

    private string? Compare(TileId id, List<byte[]> hashes)
    {
        var stored = store.ReadTile(id);
        var expected = hashes.SelectMany(h => h).ToArray();
        return stored is not null && stored.AsSpan().SequenceEqual(expected)
            ? null
            : $"{id} differs from the tree rebuilt from the entries";
    }
}
