using System.Text;
using NSec.Cryptography;

namespace SupplyChain.Contracts.Signing;

/// <summary>Checks DSSE envelopes against an Ed25519 public key, over the exact payload bytes carried (never re-serialized).</summary>
public static class EnvelopeVerifier
{
    /// <summary>
    /// True when the envelope holds a signature whose <c>keyid</c> is the key id of <paramref name="publicKey"/>
    /// and whose <c>sig</c> verifies over <c>PAE(payloadType, payload)</c> (DSSE protocol.md, "Verification").
    /// </summary>
    public static bool Verify(Envelope envelope, PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(publicKey);
        var keyId = KeyId.Of(publicKey);
        byte[]? pae = null;
        foreach (var signature in envelope.Signatures)
        {
            if (signature.KeyId != keyId)
            {
                continue;
            }

            pae ??= Pae.Encode(Encoding.UTF8.GetBytes(envelope.PayloadType), envelope.Payload.Span);
            if (SignatureAlgorithm.Ed25519.Verify(publicKey, pae, signature.Signature.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="signature"/> is a valid Ed25519 signature of <c>PAE(payloadType, payload)</c>.</summary>
    public static bool VerifySignature(PublicKey publicKey, ReadOnlySpan<byte> payloadType, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return SignatureAlgorithm.Ed25519.Verify(publicKey, Pae.Encode(payloadType, payload), signature);
    }

    /// <summary>Imports a raw 32-byte Ed25519 public key; false when the bytes are not a valid key.</summary>
    public static bool TryImportPublicKey(ReadOnlySpan<byte> rawPublicKey, out PublicKey? publicKey) =>
        PublicKey.TryImport(SignatureAlgorithm.Ed25519, rawPublicKey, KeyBlobFormat.RawPublicKey, out publicKey);
}
