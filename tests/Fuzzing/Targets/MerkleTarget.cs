using System.Buffers.Binary;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Fuzzing.Targets;

/// <summary>
/// RFC 9162 proof verification with arbitrary numbers and hashes: <see cref="MerkleProof.VerifyInclusion"/> and
/// <see cref="MerkleProof.VerifyConsistency(long, long, IReadOnlyList{byte[]}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>.
/// </summary>
/// <remarks>
/// Input layout: one byte (even: inclusion, odd: consistency), two big-endian int64 (index and tree size, or size1 and
/// size2), two 32-byte hashes (leaf and root, or root1 and root2), then proof hashes of 32 bytes; a shorter last piece
/// becomes a short hash, which must be rejected. Missing bytes read as zero.
/// </remarks>
internal static class MerkleTarget
{
    private const int Header = 1 + 8 + 8 + (2 * Rfc9162.HashSize);

    public static FuzzTarget Target { get; } = new(
        "merkle",
        "MerkleProof.VerifyInclusion, MerkleProof.VerifyConsistency",
        Run);

    private static void Run(byte[] input)
    {
        var padded = new byte[Math.Max(input.Length, Header)];
        input.CopyTo(padded, 0);
        var first = BinaryPrimitives.ReadInt64BigEndian(padded.AsSpan(1, 8));
        var second = BinaryPrimitives.ReadInt64BigEndian(padded.AsSpan(9, 8));
        var hash1 = padded.AsSpan(17, Rfc9162.HashSize);
        var hash2 = padded.AsSpan(17 + Rfc9162.HashSize, Rfc9162.HashSize);
        var proof = padded.Skip(Header).Chunk(Rfc9162.HashSize).ToList();

        var check = (padded[0] & 1) == 0
            ? MerkleProof.VerifyInclusion(first, second, hash1, proof, hash2)
            : MerkleProof.VerifyConsistency(first, second, proof, hash1, hash2);
        InvariantBrokenException.ThrowUnless(check.IsValid == (check.Reason is null), "a proof check both valid and invalid");
        InvariantBrokenException.ThrowUnless(
            !check.IsValid || proof.All(h => h.Length == Rfc9162.HashSize),
            "a proof with a short hash was accepted");
    }
}
