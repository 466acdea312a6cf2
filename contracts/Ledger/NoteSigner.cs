// c2sp.org/signed-note Ed25519 signer; the private key text is the Go golang.org/x/mod/sumdb/note form.

using NSec.Cryptography;

namespace SupplyChain.Contracts.Ledger;

/// <summary>
/// An Ed25519 key that signs notes (c2sp.org/signed-note, signature type <c>0x01</c>). Ed25519 signing is deterministic
/// (RFC 8032), so the same key and text always give the same signature line.
/// </summary>
/// <remarks>
/// The private key text <c>PRIVATE+KEY+name+hex8(keyid)+base64(0x01 ‖ 32-byte seed)</c> is for storage only:
/// never log it. The signer keeps the seed and imports it into NSec for each signature.
/// </remarks>
public sealed class NoteSigner
{
    private const string PrivateKeyPrefix = "PRIVATE+KEY+";
    private const int SeedSize = 32;

    private readonly byte[] _seed;

    private NoteSigner(string name, byte[] seed)
    {
        _seed = seed;
        using var key = ImportSeed(seed);
        Verifier = NoteVerifier.FromPublicKey(name, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        PrivateKey = PrivateKeyPrefix + NoteVerifier.Format(name, Verifier.KeyId, NoteVerifier.Ed25519Type, seed);
    }

    /// <summary>The key name, as it appears in signature lines.</summary>
    public string Name => Verifier.Name;

    /// <summary>The key ID (see <see cref="NoteVerifier.KeyId"/>).</summary>
    public uint KeyId => Verifier.KeyId;

    /// <summary>The private key text <c>PRIVATE+KEY+name+hex8+base64(0x01 ‖ seed)</c>, for storage only.</summary>
    public string PrivateKey { get; }

    /// <summary>The matching verifier key text <c>name+hex8+base64(0x01 ‖ public key)</c>, safe to publish.</summary>
    public string VerifierKey => Verifier.VerifierKey;

    /// <summary>The matching verifier.</summary>
    public NoteVerifier Verifier { get; }

    /// <summary>Creates a new random Ed25519 key with the given name.</summary>
    /// <param name="name">The key name; non-empty, without spaces or '+'. Schema-less URLs such as <c>example.com/log</c> are recommended.</param>
    /// <returns>The new signer.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> breaks the key name rules.</exception>
    public static NoteSigner Generate(string name)
    {
        if (KeyName.Problem(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }

        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return new NoteSigner(name, key.Export(KeyBlobFormat.RawPrivateKey));
    }

    /// <summary>Parses a private key text, checking the name rules, the key type and that the key ID matches the key.</summary>
    /// <param name="privateKey">Text of the form <c>PRIVATE+KEY+name+hex8+base64(0x01 ‖ 32-byte seed)</c>.</param>
    /// <param name="signer">The signer, when the text is valid.</param>
    /// <param name="reason">Why the text was rejected, when it is not valid. Never contains key material.</param>
    /// <returns>Whether <paramref name="privateKey"/> is a valid Ed25519 private key.</returns>
    public static bool TryParse(string? privateKey, out NoteSigner? signer, out string? reason)
    {
        signer = null;
        if (privateKey is null || !privateKey.StartsWith(PrivateKeyPrefix, StringComparison.Ordinal))
        {
            reason = "a private key starts with PRIVATE+KEY+";
            return false;
        }

        var parts = privateKey[PrivateKeyPrefix.Length..].Split('+', 3);
        if (parts.Length != 3)
        {
            reason = "a private key has the form PRIVATE+KEY+name+keyid+key";
            return false;
        }

        var (name, hexKeyId, base64Key) = (parts[0], parts[1], parts[2]);
        if (KeyName.Problem(name) is { } problem)
        {
            reason = problem;
            return false;
        }

        if (!NoteVerifier.TryParseKeyId(hexKeyId, out var keyId))
        {
            reason = "the key ID is not 8 hex digits";
            return false;
        }

        if (!Base64Text.TryDecode(base64Key, out var blob) || blob.Length == 0 || blob[0] != NoteVerifier.Ed25519Type)
        {
            reason = "the key is not base64 of an Ed25519 (type 0x01) key";
            return false;
        }

        if (blob.Length != 1 + SeedSize)
        {
            reason = $"an Ed25519 private key is a {SeedSize}-byte seed";
            return false;
        }

        var candidate = new NoteSigner(name, blob[1..]);
        if (candidate.KeyId != keyId)
        {
            reason = "the key ID does not match the name and key";
            return false;
        }

        signer = candidate;
        reason = null;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => VerifierKey;

    /// <summary>Signs the exact text bytes with Ed25519; 64 bytes.</summary>
    internal byte[] Sign(ReadOnlySpan<byte> text)
    {
        using var key = ImportSeed(_seed);
        return SignatureAlgorithm.Ed25519.Sign(key, text);
    }

    private static Key ImportSeed(byte[] seed) =>
        Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
}
