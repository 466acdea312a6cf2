using System.Numerics;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Hub.Log;

/// <summary>
/// Reads the Merkle tree from stored tiles: node hashes, roots at any size, and inclusion and consistency proofs generated
/// as RFC 9162 §2.1.3.1 and §2.1.4.1 define them. Every hash comes from a stored tile (a node of tree level 8·L+r is the
/// r-level subtree over 2^r hashes of one tile of level L), so a proof costs O(log n) tile reads, never a tree rebuild.
/// A reader that keeps full tiles' inner nodes (<see cref="TilePyramid"/>) passes <paramref name="innerNode"/>, which
/// answers a node inside a full tile without hashing up (null when it does not have it).
/// </summary>
internal sealed class TreeView(Func<TileId, byte[]?> readTile, Func<TileId, int, int, byte[]?>? innerNode = null)
{
    /// <summary>The hash of the perfect subtree at <paramref name="level"/> (0 = leaves) and <paramref name="index"/>.</summary>
    public byte[] Node(int level, long index)
    {
        var tileLevel = level / TileId.Height;
        var rise = level % TileId.Height;
        var first = index << rise;
        if (rise > 0 && innerNode?.Invoke(new TileId(tileLevel, first >> TileId.Height), rise, (int)(first & (TileId.Width - 1)) >> rise) is { } inner)
        {
            return inner;
        }

        var tile = readTile(new TileId(tileLevel, first >> TileId.Height))
            ?? throw new InvalidOperationException($"Tile {tileLevel}/{first >> TileId.Height} is not stored.");
        var offset = (int)(first & (TileId.Width - 1));
        var count = 1 << rise;
        if (tile.Length < (offset + count) * Rfc9162.HashSize)
        {
            throw new InvalidOperationException(
                $"Tile {tileLevel}/{first >> TileId.Height} holds {tile.Length / Rfc9162.HashSize} hashes; node {level}/{index} needs {offset + count}.");
        }

        return HashUp(tile.AsSpan(offset * Rfc9162.HashSize, count * Rfc9162.HashSize), rise);
    }

    /// <summary>MTH(D[0:size]) (RFC 9162 §2.1.1).</summary>
    public byte[] RootAt(long size) => size == 0 ? Rfc9162.EmptyRoot.ToArray() : RangeHash(0, size);

    /// <summary>PATH(index, D[0:size]) (RFC 9162 §2.1.3.1).</summary>
    public List<byte[]> InclusionProof(long index, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, size);
        var proof = new List<byte[]>();
        Path(index, 0, size, proof);
        return proof;
    }

    /// <summary>PROOF(size1, D[0:size2]) (RFC 9162 §2.1.4.1); empty when the sizes are equal.</summary>
    public List<byte[]> ConsistencyProof(long size1, long size2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size1, size2);
        var proof = new List<byte[]>();
        if (size1 > 0 && size1 < size2)
        {
            SubProof(size1, 0, size2, complete: true, proof);
        }

        return proof;
    }

    /// <summary>Hashes 2^levels consecutive 32-byte hashes up to their subtree root.</summary>
    public static byte[] HashUp(ReadOnlySpan<byte> hashes, int levels)
    {
        if (levels == 0)
        {
            return hashes[..Rfc9162.HashSize].ToArray();
        }

        var buffer = hashes.ToArray();
        var count = 1 << levels;
        for (var level = 0; level < levels; level++)
        {
            count >>= 1;
            for (var i = 0; i < count; i++)
            {
                Rfc9162.HashChildren(
                    buffer.AsSpan(2 * i * Rfc9162.HashSize, Rfc9162.HashSize),
                    buffer.AsSpan((2 * i + 1) * Rfc9162.HashSize, Rfc9162.HashSize),
                    buffer.AsSpan(i * Rfc9162.HashSize, Rfc9162.HashSize));
            }
        }

        return buffer[..Rfc9162.HashSize];
    }

    // MTH(D[lo:hi]); lo is always a multiple of the largest power of two below hi - lo in the recursions of §2.1.
    private byte[] RangeHash(long lo, long hi)
    {
        var size = hi - lo;
        if (BitOperations.IsPow2(size) && lo % size == 0)
        {
            var level = BitOperations.Log2((ulong)size);
            return Node(level, lo >> level);
        }

        var k = SplitPoint(size);
        return Rfc9162.HashChildren(RangeHash(lo, lo + k), RangeHash(lo + k, hi));
    }

    private void Path(long m, long lo, long hi, List<byte[]> proof)
    {
        var size = hi - lo;
        if (size == 1)
        {
            return;
        }

        var k = SplitPoint(size);
        if (m - lo < k)
        {
            Path(m, lo, lo + k, proof);
            proof.Add(RangeHash(lo + k, hi));
        }
        else
        {
            Path(m, lo + k, hi, proof);
            proof.Add(RangeHash(lo, lo + k));
        }
    }

    private void SubProof(long m, long lo, long hi, bool complete, List<byte[]> proof)
    {
        var size = hi - lo;
        if (m == size)
        {
            if (!complete)
            {
                proof.Add(RangeHash(lo, hi));
            }

            return;
        }

        var k = SplitPoint(size);
        if (m <= k)
        {
            SubProof(m, lo, lo + k, complete, proof);
            proof.Add(RangeHash(lo + k, hi));
        }
        else
        {
            SubProof(m - k, lo + k, hi, complete: false, proof);
            proof.Add(RangeHash(lo, lo + k));
        }
    }

    // The largest power of two smaller than size (RFC 9162 §2.1.1: k < n <= 2k).
    private static long SplitPoint(long size) => 1L << BitOperations.Log2((ulong)(size - 1));
}
