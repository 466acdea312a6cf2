using System.Text;
using FsCheck;
using FsCheck.Xunit;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Contracts.Tests.Signing;

public sealed class EnvelopeVerifierTests : IDisposable
{
    private const string PayloadType = "application/vnd.coldtrace.epcis-event.v1+json";
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("{\"type\":\"EPCISDocument\",\"schemaVersion\":\"2.0\"}");

    private readonly DeviceSigner _signer = DeviceSigner.Create();

    public void Dispose() => _signer.Dispose();

    [Fact]
    public void Verify_SignedEnvelope_IsTrue()
    {
        Assert.True(EnvelopeVerifier.Verify(_signer.Sign(Payload, PayloadType), _signer.PublicKey));
    }

    [Fact]
    public void Verify_AfterEncodeDecode_IsTrue()
    {
        var encoded = EnvelopeCodec.Encode(_signer.Sign(Payload, PayloadType));

        Assert.True(EnvelopeCodec.TryDecode(encoded, out var decoded, out _));
        Assert.True(EnvelopeVerifier.Verify(decoded!, _signer.PublicKey));
        Assert.Equal(Payload, decoded!.Payload.ToArray());
    }

    [Fact]
    public void Verify_WrongKey_IsFalse()
    {
        using var other = DeviceSigner.Create();

        Assert.False(EnvelopeVerifier.Verify(_signer.Sign(Payload, PayloadType), other.PublicKey));
    }

    [Fact]
    public void Verify_RightKeyIdButSignatureByOtherKey_IsFalse()
    {
        using var other = DeviceSigner.Create();
        var forged = other.Sign(Payload, PayloadType);
        var relabelled = new Envelope(PayloadType, Payload, [new EnvelopeSignature(_signer.KeyId, forged.Signatures[0].Signature.Span)]);

        Assert.False(EnvelopeVerifier.Verify(relabelled, _signer.PublicKey));
    }

    [Property(MaxTest = 200)]
    public bool Verify_FlippedPayloadByte_IsFalse(NonNegativeInt position, byte mask)
    {
        var payload = (byte[])Payload.Clone();
        payload[position.Get % payload.Length] ^= NonZero(mask);
        var original = _signer.Sign(Payload, PayloadType);
        var tampered = new Envelope(PayloadType, payload, original.Signatures);

        return !EnvelopeVerifier.Verify(tampered, _signer.PublicKey);
    }

    [Property(MaxTest = 200)]
    public bool Verify_FlippedPayloadTypeByte_IsFalse(NonNegativeInt position, byte mask)
    {
        var type = Encoding.UTF8.GetBytes(PayloadType);
        // Stay within ASCII so the flipped type is still a string that round-trips through UTF-8.
        type[position.Get % type.Length] ^= NonZero((byte)(mask & 0x7F));
        var original = _signer.Sign(Payload, PayloadType);
        var tampered = new Envelope(Encoding.ASCII.GetString(type), Payload, original.Signatures);

        return tampered.PayloadType != PayloadType && !EnvelopeVerifier.Verify(tampered, _signer.PublicKey);
    }

    [Property(MaxTest = 200)]
    public bool Verify_FlippedSignatureByte_IsFalse(NonNegativeInt position, byte mask)
    {
        var original = _signer.Sign(Payload, PayloadType);
        var sig = original.Signatures[0].Signature.ToArray();
        sig[position.Get % sig.Length] ^= NonZero(mask);
        var tampered = new Envelope(PayloadType, Payload, [new EnvelopeSignature(_signer.KeyId, sig)]);

        return !EnvelopeVerifier.Verify(tampered, _signer.PublicKey);
    }

    [Property(MaxTest = 200)]
    public bool Verify_FlippedKeyIdByte_IsFalse(NonNegativeInt position, byte mask)
    {
        var original = _signer.Sign(Payload, PayloadType);
        var keyId = _signer.KeyId.Bytes.ToArray();
        keyId[position.Get % keyId.Length] ^= NonZero(mask);
        Assert.True(KeyId.TryParse(Convert.ToHexStringLower(keyId), out var flipped, out _));
        var tampered = new Envelope(PayloadType, Payload, [new EnvelopeSignature(flipped, original.Signatures[0].Signature.Span)]);

        return !EnvelopeVerifier.Verify(tampered, _signer.PublicKey);
    }

    private static byte NonZero(byte mask) => mask == 0 ? (byte)1 : mask;
}
