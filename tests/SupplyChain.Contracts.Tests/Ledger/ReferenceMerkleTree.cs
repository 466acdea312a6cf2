using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Contracts.Tests.Ledger;

/// <summary>
/// A deliberately naive, test-only transcription of RFC 9162 §2.1.1 (MTH), §2.1.3.1 (PATH) and §2.1.4.1 (PROOF/SUBPROOF),
/// recursive over the list of leaves exactly as the RFC writes them, to generate proofs for the verifier under test.
/// </summary>
internal static class ReferenceMerkleTree
{
    // MTH({}) = SHA-256(); MTH({d0}) = SHA-256(0x00 || d0); MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])).
    public static byte[] Mth(IReadOnlyList<byte[]> d) => d.Count switch
    {
        0 => Rfc9162.EmptyRoot.ToArray(),
        1 => Rfc9162.HashLeaf(d[0]),
        _ => Rfc9162.HashChildren(Mth(Slice(d, 0, K(d.Count))), Mth(Slice(d, K(d.Count), d.Count))),
    };

    // PATH(m, {d0}) = {}; PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) for m < k, else PATH(m - k, D[k:n]) : MTH(D[0:k]).
    public static List<byte[]> Path(int m, IReadOnlyList<byte[]> d)
    {
        var n = d.Count;
        if (n == 1)
        {
            return [];
        }

        var k = K(n);
        if (m < k)
        {
            var path = Path(m, Slice(d, 0, k));
            path.Add(Mth(Slice(d, k, n)));
            return path;
        }
        else
        {
            var path = Path(m - k, Slice(d, k, n));
            path.Add(Mth(Slice(d, 0, k)));
            return path;
        }
    }

    // PROOF(m, D[n]) = SUBPROOF(m, D[n], true).
    public static List<byte[]> Proof(int m, IReadOnlyList<byte[]> d) => SubProof(m, d, true);

    private static List<byte[]> SubProof(int m, IReadOnlyList<byte[]> d, bool b)
    {
        var n = d.Count;
        if (m == n)
        {
            return b ? [] : [Mth(d)];
        }

        var k = K(n);
        if (m <= k)
        {
            var proof = SubProof(m, Slice(d, 0, k), b);
            proof.Add(Mth(Slice(d, k, n)));
            return proof;
        }
        else
        {
            var proof = SubProof(m - k, Slice(d, k, n), false);
            proof.Add(Mth(Slice(d, 0, k)));
            return proof;
        }
    }

    // "k is the largest power of two smaller than n".
    private static int K(int n)
    {
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }

    private static byte[][] Slice(IReadOnlyList<byte[]> d, int from, int to) => [.. d.Skip(from).Take(to - from)];
}
