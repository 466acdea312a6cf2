using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Hub.Tests.Log;

/// <summary>
/// RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 written as literally as the RFC states them, over a list of leaf hashes: the
/// slow reference the tile-based tree must agree with.
/// </summary>
internal static class ReferenceTree
{
    public static byte[] Root(List<byte[]> leaves, int lo, int hi)
    {
        var n = hi - lo;
        if (n == 0)
        {
            return Rfc9162.EmptyRoot.ToArray();
        }

        if (n == 1)
        {
            return leaves[lo];
        }

        var k = Split(n);
        return Rfc9162.HashChildren(Root(leaves, lo, lo + k), Root(leaves, lo + k, hi));
    }

    public static List<byte[]> Path(int m, List<byte[]> leaves, int lo, int hi)
    {
        var n = hi - lo;
        if (n == 1)
        {
            return [];
        }

        var k = Split(n);
        return m < k
            ? [.. Path(m, leaves, lo, lo + k), Root(leaves, lo + k, hi)]
            : [.. Path(m - k, leaves, lo + k, hi), Root(leaves, lo, lo + k)];
    }

    public static List<byte[]> Consistency(int m, List<byte[]> leaves, int n) => SubProof(m, leaves, 0, n, true);

    private static List<byte[]> SubProof(int m, List<byte[]> leaves, int lo, int hi, bool b)
    {
        var n = hi - lo;
        if (m == n)
        {
            return b ? [] : [Root(leaves, lo, hi)];
        }

        var k = Split(n);
        return m <= k
            ? [.. SubProof(m, leaves, lo, lo + k, b), Root(leaves, lo + k, hi)]
            : [.. SubProof(m - k, leaves, lo + k, hi, false), Root(leaves, lo, lo + k)];
    }

    private static int Split(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }
}
