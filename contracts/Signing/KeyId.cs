using System.Security.Cryptography;
using NSec.Cryptography;

namespace SupplyChain.Contracts.Signing;

/// <summary>
/// The id of a device (or hub) Ed25519 key: SHA-256 of the raw 32-byte public key (RFC 8032 §5.1.5 encoding),
/// written as 64 lowercase hex digits in the DSSE <c>keyid</c> field (PROTOCOL.md §3.4).
/// </summary>
public readonly record struct KeyId
{
    private readonly ReadOnlyMemory<byte> _bytes;

    private KeyId(byte[] bytes) => _bytes = bytes;

    /// <summary>The 32 hash bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes.IsEmpty ? new byte[Sha256Id.Size] : _bytes.Span;

    /// <summary>Computes the key id of a raw 32-byte Ed25519 public key.</summary>
    /// <exception cref="ArgumentException"><paramref name="rawPublicKey"/> is not 32 bytes long.</exception>
    public static KeyId Of(ReadOnlySpan<byte> rawPublicKey) => rawPublicKey.Length == 32
        ? new KeyId(SHA256.HashData(rawPublicKey))
        : throw new ArgumentException("An Ed25519 public key is 32 bytes.", nameof(rawPublicKey));

    /// <summary>Computes the key id of an Ed25519 public key.</summary>
    public static KeyId Of(PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return Of(publicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>Wraps 32 hash bytes (a key id as stored, not computed from a key).</summary>
    /// <exception cref="ArgumentException"><paramref name="hash"/> is not 32 bytes long.</exception>
    public static KeyId FromBytes(ReadOnlySpan<byte> hash) => hash.Length == Sha256Id.Size
        ? new KeyId(hash.ToArray())
        : throw new ArgumentException($"A key id is {Sha256Id.Size} bytes.", nameof(hash));

    /// <summary>Parses 64 lowercase hex digits.</summary>
    public static bool TryParse(string? text, out KeyId id, out HexIdError error)
    {
        var ok = Sha256Id.TryParse(text, out var bytes, out error);
        id = ok ? new KeyId(bytes) : default;
        return ok;
    }

    /// <inheritdoc/>
    public bool Equals(KeyId other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(Bytes);

    /// <summary>64 lowercase hex digits.</summary>
    public override string ToString() => Convert.ToHexStringLower(Bytes);
}
