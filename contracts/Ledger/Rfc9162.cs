// RFC 9162 §2.1.1: Merkle Tree Hash over SHA-256 with domain-separated leaf and node hashes.
// https://www.rfc-editor.org/rfc/rfc9162.html#section-2.1.1

using System.Security.Cryptography;

namespace SupplyChain.Contracts.Ledger;

/// <summary>
/// The hashing primitives of an RFC 9162 Merkle tree (Certificate Transparency v2), using SHA-256:
/// a leaf hashes as <c>SHA-256(0x00 ‖ leaf)</c> and an interior node as <c>SHA-256(0x01 ‖ left ‖ right)</c>.
/// </summary>
public static class Rfc9162
{
    /// <summary>The size in bytes of every hash in the tree (SHA-256).</summary>
    public const int HashSize = 32;

    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    private static readonly byte[] EmptyRootBytes = SHA256.HashData([]);

    /// <summary>The root hash of the empty tree: <c>SHA-256()</c> of the empty string (RFC 9162 §2.1.1).</summary>
    public static ReadOnlySpan<byte> EmptyRoot => EmptyRootBytes;

    /// <summary>Writes <c>SHA-256(0x00 ‖ leaf)</c> into <paramref name="destination"/>.</summary>
    /// <param name="leaf">The leaf bytes (the log entry as stored).</param>
    /// <param name="destination">Receives the 32-byte leaf hash.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not exactly <see cref="HashSize"/> bytes.</exception>
    public static void HashLeaf(ReadOnlySpan<byte> leaf, Span<byte> destination)
    {
        RequireHashSize(destination, nameof(destination));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([LeafPrefix]);
        hash.AppendData(leaf);
        hash.GetHashAndReset(destination);
    }

    /// <summary>Returns <c>SHA-256(0x00 ‖ leaf)</c>.</summary>
    /// <param name="leaf">The leaf bytes (the log entry as stored).</param>
    /// <returns>The 32-byte leaf hash.</returns>
    public static byte[] HashLeaf(ReadOnlySpan<byte> leaf)
    {
        var result = new byte[HashSize];
        HashLeaf(leaf, result);
        return result;
    }

    /// <summary>Writes <c>SHA-256(0x01 ‖ left ‖ right)</c> into <paramref name="destination"/>.</summary>
    /// <param name="left">The 32-byte hash of the left subtree.</param>
    /// <param name="right">The 32-byte hash of the right subtree.</param>
    /// <param name="destination">Receives the 32-byte node hash; it may overlap <paramref name="left"/> or <paramref name="right"/>.</param>
    /// <exception cref="ArgumentException">An argument is not exactly <see cref="HashSize"/> bytes.</exception>
    public static void HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        RequireHashSize(left, nameof(left));
        RequireHashSize(right, nameof(right));
        RequireHashSize(destination, nameof(destination));
        Span<byte> input = stackalloc byte[1 + (2 * HashSize)];
        input[0] = NodePrefix;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + HashSize)..]);
        SHA256.HashData(input, destination);
    }

    /// <summary>Returns <c>SHA-256(0x01 ‖ left ‖ right)</c>.</summary>
    /// <param name="left">The 32-byte hash of the left subtree.</param>
    /// <param name="right">The 32-byte hash of the right subtree.</param>
    /// <returns>The 32-byte node hash.</returns>
    /// <exception cref="ArgumentException">An argument is not exactly <see cref="HashSize"/> bytes.</exception>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var result = new byte[HashSize];
        HashChildren(left, right, result);
        return result;
    }

    private static void RequireHashSize(ReadOnlySpan<byte> value, string paramName)
    {
        if (value.Length != HashSize)
        {
            throw new ArgumentException($"A hash is exactly {HashSize} bytes; got {value.Length}.", paramName);
        }
    }
}
