using NSec.Cryptography;

namespace SupplyChain.Contracts.Signing;

/// <summary>
/// An Ed25519 (RFC 8032) signing key that wraps exact payload bytes into DSSE envelopes.
/// The private key is stored as its 32-byte seed (RFC 8032 §5.1.5); treat <see cref="ExportSeed"/> output as a secret.
/// </summary>
public sealed class DeviceSigner : IDisposable
{
    /// <summary>Length of an Ed25519 seed (the private key as RFC 8032 defines it).</summary>
    public const int SeedSize = 32;

    private readonly Key _key;

    private DeviceSigner(Key key)
    {
        _key = key;
        KeyId = KeyId.Of(key.PublicKey);
    }

    /// <summary>The public key to enrol at the hub.</summary>
    public PublicKey PublicKey => _key.PublicKey;

    /// <summary>The key id written into every signature (PROTOCOL.md §3.4).</summary>
    public KeyId KeyId { get; }

    /// <summary>Creates a fresh random key.</summary>
    public static DeviceSigner Create() => new(Key.Create(SignatureAlgorithm.Ed25519, Exportable()));

    /// <summary>Restores a key from its 32-byte seed.</summary>
    /// <exception cref="ArgumentException"><paramref name="seed"/> is not 32 bytes long.</exception>
    public static DeviceSigner FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"An Ed25519 seed is {SeedSize} bytes.", nameof(seed));
        }

        return new(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, Exportable()));
    }

    /// <summary>The 32-byte seed, for storage by the caller.</summary>
    public byte[] ExportSeed() => _key.Export(KeyBlobFormat.RawPrivateKey);

    /// <summary>Signs <c>PAE(payloadType, payload)</c> over the exact bytes given and returns the envelope.</summary>
    public Envelope Sign(ReadOnlySpan<byte> payload, string payloadType)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        var signature = SignatureAlgorithm.Ed25519.Sign(_key, Pae.Encode(payloadType, payload));
        return new Envelope(payloadType, payload, [new EnvelopeSignature(KeyId, signature)]);
    }

    private static KeyCreationParameters Exportable() => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();
}
