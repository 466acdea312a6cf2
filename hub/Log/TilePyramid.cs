using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Hub.Log;

/// <summary>
/// The inner nodes of one full tile (levels 1 to 8 above its 256 hashes, 255 hashes in all), computed once. A full tile
/// never changes, so neither do these; with them an inclusion proof takes its in-tile nodes by lookup instead of hashing
/// up to 127 pairs per tile level (docs/BENCHMARKS.md "Verification, recalls and growth").
/// </summary>
internal sealed class TilePyramid
{
    private const int Count = TileId.Width - 1;
    private readonly byte[] _nodes = new byte[Count * Rfc9162.HashSize];

    /// <param name="tile">A full tile: <see cref="TileId.Width"/> hashes.</param>
    public TilePyramid(ReadOnlySpan<byte> tile)
    {
        if (tile.Length != TileId.Width * Rfc9162.HashSize)
        {
            throw new ArgumentException("Only a full tile has a fixed pyramid.", nameof(tile));
        }

        var below = tile;
        for (var rise = 1; rise <= TileId.Height; rise++)
        {
            var level = _nodes.AsSpan(Offset(rise) * Rfc9162.HashSize, (TileId.Width >> rise) * Rfc9162.HashSize);
            for (var i = 0; i < TileId.Width >> rise; i++)
            {
                Rfc9162.HashChildren(
                    below.Slice(2 * i * Rfc9162.HashSize, Rfc9162.HashSize),
                    below.Slice(((2 * i) + 1) * Rfc9162.HashSize, Rfc9162.HashSize),
                    level.Slice(i * Rfc9162.HashSize, Rfc9162.HashSize));
            }

            below = level;
        }
    }

    /// <summary>The node <paramref name="rise"/> levels (1 to 8) above the tile's hashes, at <paramref name="index"/> in that level.</summary>
    public byte[] Node(int rise, int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rise, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rise, TileId.Height);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, TileId.Width >> rise);
        return _nodes.AsSpan((Offset(rise) + index) * Rfc9162.HashSize, Rfc9162.HashSize).ToArray();
    }

    // Level 1 (128 hashes) first, then level 2 (64) … level 8 (1): level r starts after 256 − 2·(256 >> r) hashes.
    private static int Offset(int rise) => TileId.Width - (2 * (TileId.Width >> rise));
}
