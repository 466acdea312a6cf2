// RFC 9162 §2.1.3.2 (verifying an inclusion proof) and §2.1.4.2 (verifying consistency between two tree heads).
// https://www.rfc-editor.org/rfc/rfc9162.html#section-2.1.3.2

using System.Security.Cryptography;

namespace SupplyChain.Contracts.Ledger;

/// <summary>
/// Verifies RFC 9162 Merkle inclusion and consistency proofs. Every hash (leaf, root, proof element) must be exactly
/// <see cref="Rfc9162.HashSize"/> bytes; anything else, and every malformed or wrong proof, is an invalid
/// <see cref="ProofCheck"/> with a reason, never an exception.
/// </summary>
public static class MerkleProof
{
    /// <summary>
    /// Checks that <paramref name="leafHash"/> is the leaf at <paramref name="index"/> of the tree of
    /// <paramref name="treeSize"/> leaves whose root is <paramref name="rootHash"/> (RFC 9162 §2.1.3.2).
    /// </summary>
    /// <param name="index">Zero-based leaf index; must be less than <paramref name="treeSize"/>.</param>
    /// <param name="treeSize">Number of leaves in the tree the root commits to.</param>
    /// <param name="leafHash">The leaf hash, <c>SHA-256(0x00 ‖ leaf)</c>.</param>
    /// <param name="proof">The inclusion path, from the leaf's sibling up to the root's child.</param>
    /// <param name="rootHash">The expected root hash.</param>
    /// <returns><see cref="ProofCheck.Valid"/>, or the reason the proof does not hold.</returns>
    /// <remarks>
    /// An inclusion proof binds the root, not the size on its own: a caller must take size and root together from one
    /// signed checkpoint, never a size from one place and a root from another.
    /// </remarks>
    public static ProofCheck VerifyInclusion(long index, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> rootHash)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index < 0 || treeSize < 0)
        {
            return ProofCheck.Invalid($"index ({index}) and tree size ({treeSize}) must not be negative");
        }

        // §2.1.3.2 step 1.
        if (index >= treeSize)
        {
            return ProofCheck.Invalid($"index {index} is not in a tree of size {treeSize}");
        }

        if (CheckHashSizes(leafHash, "leaf hash", rootHash, "root hash", proof) is { } badSize)
        {
            return badSize;
        }

        // Steps 2 and 3.
        var fn = (ulong)index;
        var sn = (ulong)(treeSize - 1);
        Span<byte> r = stackalloc byte[Rfc9162.HashSize];
        leafHash.CopyTo(r);

        // Step 4.
        foreach (var p in proof)
        {
            if (sn == 0)
            {
                return ProofCheck.Invalid($"proof has {proof.Count} hashes, more than a tree of size {treeSize} needs");
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                Rfc9162.HashChildren(p, r, r);
                if ((fn & 1) == 0)
                {
                    ShiftWhileLsbClear(ref fn, ref sn);
                }
            }
            else
            {
                Rfc9162.HashChildren(r, p, r);
            }

            fn >>= 1;
            sn >>= 1;
        }

        // Step 5.
        if (sn != 0)
        {
            return ProofCheck.Invalid($"proof has {proof.Count} hashes, fewer than a tree of size {treeSize} needs");
        }

        return CryptographicOperations.FixedTimeEquals(r, rootHash)
            ? ProofCheck.Valid
            : ProofCheck.Invalid("the proof leads to a different root hash");
    }

    /// <summary>
    /// Checks that the tree of <paramref name="size1"/> leaves with root <paramref name="root1"/> is a prefix of the tree of
    /// <paramref name="size2"/> leaves with root <paramref name="root2"/> (RFC 9162 §2.1.4.2).
    /// </summary>
    /// <param name="size1">Size of the older tree; must be at least 1 (a proof from the empty tree proves nothing).</param>
    /// <param name="size2">Size of the newer tree; must be at least <paramref name="size1"/>.</param>
    /// <param name="proof">The consistency proof; empty exactly when the sizes are equal.</param>
    /// <param name="root1">Root hash of the older tree.</param>
    /// <param name="root2">Root hash of the newer tree.</param>
    /// <returns><see cref="ProofCheck.Valid"/>, or the reason the trees are not shown consistent.</returns>
    public static ProofCheck VerifyConsistency(long size1, long size2, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root1, ReadOnlySpan<byte> root2)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (size1 < 0 || size2 < 0)
        {
            return ProofCheck.Invalid($"sizes ({size1}, {size2}) must not be negative");
        }

        if (size2 < size1)
        {
            return ProofCheck.Invalid($"size2 ({size2}) is smaller than size1 ({size1})");
        }

        // RFC 9162 §2.1.4 defines proofs for 0 < first < second only; the transparency-dev vectors reject size1 = 0
        // even when size2 is also 0, because a consistency check from the empty tree is meaningless.
        if (size1 == 0)
        {
            return ProofCheck.Invalid("a consistency proof from the empty tree (size1 = 0) proves nothing");
        }

        if (CheckHashSizes(root1, "root1", root2, "root2", proof) is { } badSize)
        {
            return badSize;
        }

        if (size1 == size2)
        {
            if (proof.Count != 0)
            {
                return ProofCheck.Invalid("sizes are equal, so the proof must be empty");
            }

            return CryptographicOperations.FixedTimeEquals(root1, root2)
                ? ProofCheck.Valid
                : ProofCheck.Invalid("sizes are equal but the roots differ");
        }

        // §2.1.4.2 step 1.
        if (proof.Count == 0)
        {
            return ProofCheck.Invalid("the proof is empty");
        }

        // Step 2: when size1 is a power of two its root is the first node of the path.
        var path = proof;
        if (ulong.IsPow2((ulong)size1))
        {
            path = [root1.ToArray(), .. proof];
        }

        // Steps 3 and 4.
        var fn = (ulong)(size1 - 1);
        var sn = (ulong)(size2 - 1);
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        // Step 5.
        Span<byte> fr = stackalloc byte[Rfc9162.HashSize];
        Span<byte> sr = stackalloc byte[Rfc9162.HashSize];
        path[0].CopyTo(fr);
        path[0].CopyTo(sr);

        // Step 6.
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0)
            {
                return ProofCheck.Invalid($"proof has {proof.Count} hashes, more than sizes {size1} and {size2} need");
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                Rfc9162.HashChildren(c, fr, fr);
                Rfc9162.HashChildren(c, sr, sr);
                if ((fn & 1) == 0)
                {
                    ShiftWhileLsbClear(ref fn, ref sn);
                }
            }
            else
            {
                Rfc9162.HashChildren(sr, c, sr);
            }

            fn >>= 1;
            sn >>= 1;
        }

        // Step 7.
        if (sn != 0)
        {
            return ProofCheck.Invalid($"proof has {proof.Count} hashes, fewer than sizes {size1} and {size2} need");
        }

        if (!CryptographicOperations.FixedTimeEquals(fr, root1))
        {
            return ProofCheck.Invalid("the proof does not lead to root1");
        }

        return CryptographicOperations.FixedTimeEquals(sr, root2)
            ? ProofCheck.Valid
            : ProofCheck.Invalid("the proof does not lead to root2");
    }

    /// <summary>
    /// Checks that two checkpoints of the same log are consistent: the same origin, and <paramref name="older"/>'s tree a
    /// prefix of <paramref name="newer"/>'s (RFC 9162 §2.1.4.2). Verify both checkpoints' signatures first.
    /// </summary>
    /// <param name="older">The checkpoint with the smaller (or equal) size.</param>
    /// <param name="newer">The checkpoint with the larger (or equal) size.</param>
    /// <param name="proof">The consistency proof from <paramref name="older"/>'s size to <paramref name="newer"/>'s.</param>
    /// <returns><see cref="ProofCheck.Valid"/>, or the reason the checkpoints are not shown consistent.</returns>
    public static ProofCheck VerifyConsistency(Checkpoint older, Checkpoint newer, IReadOnlyList<byte[]> proof)
    {
        if (older.RootHash is null || newer.RootHash is null)
        {
            return ProofCheck.Invalid("a checkpoint is missing");
        }

        if (!string.Equals(older.Origin, newer.Origin, StringComparison.Ordinal))
        {
            return ProofCheck.Invalid($"the checkpoints are of different logs ('{older.Origin}', '{newer.Origin}')");
        }

        return VerifyConsistency(older.Size, newer.Size, proof, older.RootHash, newer.RootHash);
    }

    // "right-shift both fn and sn equally until either LSB(fn) is set or fn is 0" (§2.1.3.2 step 4.b.ii, §2.1.4.2 step 6.b.iii).
    private static void ShiftWhileLsbClear(ref ulong fn, ref ulong sn)
    {
        while ((fn & 1) == 0 && fn != 0)
        {
            fn >>= 1;
            sn >>= 1;
        }
    }

    private static ProofCheck? CheckHashSizes(ReadOnlySpan<byte> first, string firstName, ReadOnlySpan<byte> second, string secondName, IReadOnlyList<byte[]> proof)
    {
        if (first.Length != Rfc9162.HashSize)
        {
            return ProofCheck.Invalid($"{firstName} is {first.Length} bytes, not {Rfc9162.HashSize}");
        }

        if (second.Length != Rfc9162.HashSize)
        {
            return ProofCheck.Invalid($"{secondName} is {second.Length} bytes, not {Rfc9162.HashSize}");
        }

        for (var i = 0; i < proof.Count; i++)
        {
            if (proof[i] is not { Length: Rfc9162.HashSize })
            {
                return ProofCheck.Invalid($"proof hash {i} is {proof[i]?.Length ?? 0} bytes, not {Rfc9162.HashSize}");
            }
        }

        return null;
    }
}
