using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Hub.Log;

/// <summary>
/// The inner nodes of one tile (levels 1 to 8 above its hashes: 255 for a full tile), computed once. A full tile never
/// changes, so neither do these; a partial tile's complete subtrees do not change either, until the tile is read again.
/// With them an inclusion proof takes its in-tile nodes by lookup instead of hashing up to 127 pairs per tile level
/// (docs/BENCHMARKS.md "Verification, recalls and growth").
/// </summary>
internal sealed class TilePyramid
{
    private readonly byte[] _nodes = new byte[(TileId.Width - 1) * Rfc9162.HashSize];
    private readonly int _hashes;

    /// <param name="tile">A tile: 1 to <see cref="TileId.Width"/> hashes.</param>
    public TilePyramid(ReadOnlySpan<byte> tile)
    {
        if (tile.Length == 0 || tile.Length > TileId.Width * Rfc9162.HashSize || tile.Length % Rfc9162.HashSize != 0)
        {
            throw new ArgumentException("A tile holds 1 to 256 hashes.", nameof(tile));
        }

        _hashes = tile.Length / Rfc9162.HashSize;
        var below = tile;
        for (var rise = 1; rise <= TileId.Height; rise++)
        {
            var level = _nodes.AsSpan(Offset(rise) * Rfc9162.HashSize, (TileId.Width >> rise) * Rfc9162.HashSize);
            for (var i = 0; i < _hashes >> rise; i++)
            {
                Rfc9162.HashChildren(
                    below.Slice(2 * i * Rfc9162.HashSize, Rfc9162.HashSize),
                    below.Slice(((2 * i) + 1) * Rfc9162.HashSize, Rfc9162.HashSize),
                    level.Slice(i * Rfc9162.HashSize, Rfc9162.HashSize));
            }

            below = level;
        }
    }

    /// <summary>
    /// The node <paramref name="rise"/> levels (1 to 8) above the tile's hashes, at <paramref name="index"/> in that level,
    /// or null when the tile does not hold all the hashes under it.
    /// </summary>
    public byte[]? Node(int rise, int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rise, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rise, TileId.Height);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return index < _hashes >> rise ? _nodes.AsSpan((Offset(rise) + index) * Rfc9162.HashSize, Rfc9162.HashSize).ToArray() : null;
    }

    // Level 1 (128 hashes) first, then level 2 (64) … level 8 (1): level r starts after 256 − 2·(256 >> r) hashes.
    private static int Offset(int rise) => TileId.Width - (2 * (TileId.Width >> rise));
}
