// c2sp.org/signed-note: Ed25519 signature type 0x01, key IDs, and the verifier key ("vkey") text form.

using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace SupplyChain.Contracts.Ledger;

/// <summary>
/// A public key that verifies signed notes: an Ed25519 key (signature type <c>0x01</c>) with its key name and key ID.
/// Its text form is the C2SP verifier key <c>name+hex8(keyid)+base64(0x01 ‖ 32-byte public key)</c>.
/// </summary>
public sealed class NoteVerifier
{
    /// <summary>The signature type identifier byte of Ed25519 (c2sp.org/signed-note, Signature types).</summary>
    internal const byte Ed25519Type = 0x01;

    internal const int PublicKeySize = 32;
    internal const int SignatureSize = 64;

    private readonly PublicKey _publicKey;
    private readonly byte[] _publicKeyBytes;

    private NoteVerifier(string name, PublicKey publicKey, byte[] publicKeyBytes)
    {
        Name = name;
        _publicKey = publicKey;
        _publicKeyBytes = publicKeyBytes;
        KeyId = ComputeKeyId(name, publicKeyBytes);
        VerifierKey = Format(name, KeyId, Ed25519Type, publicKeyBytes);
    }

    /// <summary>The key name, as it appears in signature lines.</summary>
    public string Name { get; }

    /// <summary>The key ID: the first four bytes, big-endian, of <c>SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)</c>.</summary>
    public uint KeyId { get; }

    /// <summary>The verifier key text, <c>name+hex8(keyid)+base64(0x01 ‖ public key)</c>.</summary>
    public string VerifierKey { get; }

    /// <summary>The raw 32-byte Ed25519 public key (RFC 8032).</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKeyBytes;

    /// <summary>Parses a C2SP verifier key, checking the name rules, the key type and that the key ID matches the key.</summary>
    /// <param name="vkey">Text of the form <c>name+hex8+base64(0x01 ‖ 32-byte public key)</c>.</param>
    /// <param name="verifier">The verifier, when the text is valid.</param>
    /// <param name="reason">Why the text was rejected, when it is not valid.</param>
    /// <returns>Whether <paramref name="vkey"/> is a valid Ed25519 verifier key.</returns>
    public static bool TryParse(string? vkey, out NoteVerifier? verifier, out string? reason)
    {
        verifier = null;
        if (vkey is null)
        {
            reason = "the verifier key is missing";
            return false;
        }

        var parts = vkey.Split('+', 3);
        if (parts.Length != 3)
        {
            reason = "a verifier key has the form name+keyid+key";
            return false;
        }

        return TryCreate(parts[0], parts[1], parts[2], out verifier, out reason);
    }

    /// <summary>Creates a verifier for a raw Ed25519 public key under a key name.</summary>
    /// <param name="name">The key name; non-empty, without spaces or '+'.</param>
    /// <param name="publicKey">The 32-byte Ed25519 public key.</param>
    /// <returns>The verifier.</returns>
    /// <exception cref="ArgumentException">The name breaks the key name rules or the key is not a valid Ed25519 public key.</exception>
    public static NoteVerifier FromPublicKey(string name, ReadOnlySpan<byte> publicKey)
    {
        if (KeyName.Problem(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }

        if (publicKey.Length != PublicKeySize
            || !NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key)
            || key is null)
        {
            throw new ArgumentException("Not a 32-byte Ed25519 public key.", nameof(publicKey));
        }

        return new NoteVerifier(name, key, publicKey.ToArray());
    }

    /// <inheritdoc />
    public override string ToString() => VerifierKey;

    /// <summary>Verifies a 64-byte Ed25519 signature over the note text bytes.</summary>
    internal bool Verify(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureSize && SignatureAlgorithm.Ed25519.Verify(_publicKey, text, signature);

    /// <summary>Parses the name, hex key ID and base64 key parts shared by verifier keys and private keys.</summary>
    internal static bool TryParseKeyId(string hex, out uint keyId) =>
        uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out keyId) && hex.Length == 8;

    /// <summary>key ID = SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte Ed25519 public key)[:4] (c2sp.org/signed-note, Ed25519 signatures).</summary>
    internal static uint ComputeKeyId(string name, ReadOnlySpan<byte> publicKey)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = 0x0A;
        input[nameBytes.Length + 1] = Ed25519Type;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }

    internal static string Format(string name, uint keyId, byte type, ReadOnlySpan<byte> key)
    {
        var blob = new byte[1 + key.Length];
        blob[0] = type;
        key.CopyTo(blob.AsSpan(1));
        return $"{name}+{keyId:x8}+{Convert.ToBase64String(blob)}";
    }

    private static bool TryCreate(string name, string hexKeyId, string base64Key, out NoteVerifier? verifier, out string? reason)
    {
        verifier = null;
        if (KeyName.Problem(name) is { } problem)
        {
            reason = problem;
            return false;
        }

        if (!TryParseKeyId(hexKeyId, out var keyId))
        {
            reason = "the key ID is not 8 hex digits";
            return false;
        }

        if (!Base64Text.TryDecode(base64Key, out var blob))
        {
            reason = "the key is not valid base64";
            return false;
        }

        if (blob.Length == 0 || blob[0] != Ed25519Type)
        {
            reason = "the key is not an Ed25519 (type 0x01) key";
            return false;
        }

        if (blob.Length != 1 + PublicKeySize)
        {
            reason = $"an Ed25519 key is {PublicKeySize} bytes, got {blob.Length - 1}";
            return false;
        }

        var publicKeyBytes = blob[1..];
        if (!NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKeyBytes, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
        {
            reason = "the key is not a valid Ed25519 public key";
            return false;
        }

        if (ComputeKeyId(name, publicKeyBytes) != keyId)
        {
            reason = "the key ID does not match the name and key";
            return false;
        }

        verifier = new NoteVerifier(name, publicKey, publicKeyBytes);
        reason = null;
        return true;
    }
}
