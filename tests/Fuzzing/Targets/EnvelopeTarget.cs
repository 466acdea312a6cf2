using NSec.Cryptography;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Fuzzing.Targets;

/// <summary>
/// The DSSE envelope decoder, <see cref="EnvelopeCodec.TryDecode(ReadOnlySpan{byte}, out Envelope?, out EnvelopeError)"/>,
/// then <see cref="EnvelopeVerifier.Verify"/> of what it accepted. Oracle: an accepted envelope re-encodes to bytes that
/// decode to the same type, payload and signatures.
/// </summary>
internal static class EnvelopeTarget
{
    // RFC 8032 §7.1 TEST 1, the key of the PROTOCOL.md §3.7 example, so the seed envelopes verify.
    private static readonly PublicKey Key = PublicKey.Import(
        SignatureAlgorithm.Ed25519,
        Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
        KeyBlobFormat.RawPublicKey);

    public static FuzzTarget Target { get; } = new(
        "envelope",
        "EnvelopeCodec.TryDecode, Encode, EnvelopeVerifier.Verify",
        Run);

    private static void Run(byte[] input)
    {
        if (!EnvelopeCodec.TryDecode(input, out var envelope, out var error))
        {
            InvariantBrokenException.ThrowUnless(envelope is null && error != EnvelopeError.None, "a rejection without a reason");
            return;
        }

        EnvelopeVerifier.Verify(envelope!, Key);
        var again = EnvelopeCodec.Encode(envelope!);
        InvariantBrokenException.ThrowUnless(
            EnvelopeCodec.TryDecode(again, out var decoded, out error)
            && decoded!.PayloadType == envelope!.PayloadType
            && decoded.Payload.Span.SequenceEqual(envelope.Payload.Span)
            && decoded.Signatures.Count == envelope.Signatures.Count
            && decoded.Signatures.Zip(envelope.Signatures).All(p => p.First.KeyId == p.Second.KeyId
                && p.First.Signature.Span.SequenceEqual(p.Second.Signature.Span)),
            $"the re-encoded envelope does not decode to the same envelope ({error})");
    }
}
