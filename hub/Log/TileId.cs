namespace SupplyChain.Hub.Log;

/// <summary>
/// A tile of the Merkle tree in the C2SP tlog-tiles layout: tile level <see cref="Level"/> holds the hashes of tree level
/// 8·Level, 256 to a tile; tile <see cref="Index"/> starts at node 256·Index of that tree level.
/// </summary>
internal readonly record struct TileId(int Level, long Index)
{
    public const int Height = 8;
    public const int Width = 1 << Height;

    /// <summary>A single 64-bit key for storage: level in the top byte, index below.</summary>
    public long Key => ((long)Level << 56) | Index;

    public static TileId FromKey(long key) => new((int)(key >>> 56), key & ((1L << 56) - 1));

    public override string ToString() => $"tile {Level}/{Index}";
}
