using System.Text;
using FsCheck;
using FsCheck.Xunit;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Contracts.Tests.Signing;

public sealed class EnvelopeCodecTests
{
    private const string KeyIdHex = "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9";
    private static readonly string Sig = Convert.ToBase64String(new byte[64]);

    [Fact]
    public void Encode_KnownEnvelope_WritesDsseJson()
    {
        Assert.True(KeyId.TryParse(KeyIdHex, out var keyId, out _));
        var envelope = new Envelope("http://example.com/HelloWorld", "hello world"u8, [new EnvelopeSignature(keyId, new byte[64])]);

        var json = Encoding.UTF8.GetString(EnvelopeCodec.Encode(envelope));

        Assert.Equal(
            "{\"payload\":\"aGVsbG8gd29ybGQ=\",\"payloadType\":\"http://example.com/HelloWorld\",\"signatures\":[{\"keyid\":\"" + KeyIdHex + "\",\"sig\":\"" + Sig + "\"}]}",
            json);
    }

    [Theory]
    [InlineData("aGVsbG8gd29ybGQ=")]
    [InlineData("aGVsbG8gd29ybGQ")]
    public void TryDecode_PaddedOrUnpaddedBase64_Accepted(string payload)
    {
        var json = $$"""{"payload":"{{payload}}","payloadType":"t","signatures":[{"keyid":"{{KeyIdHex}}","sig":"{{Sig}}"}]}""";

        Assert.True(EnvelopeCodec.TryDecode(Encoding.UTF8.GetBytes(json), out var envelope, out var error), error.ToString());
        Assert.Equal("hello world"u8.ToArray(), envelope!.Payload.ToArray());
    }

    [Fact]
    public void TryDecode_UrlSafeBase64_Accepted()
    {
        // 0xfb 0xff encodes as "+/8=" in standard and "-_8" in URL-safe base64 (RFC 4648 §5).
        var json = $$"""{"payload":"-_8","payloadType":"t","signatures":[{"keyid":"{{KeyIdHex}}","sig":"{{Sig}}"}]}""";

        Assert.True(EnvelopeCodec.TryDecode(Encoding.UTF8.GetBytes(json), out var envelope, out _));
        Assert.Equal(new byte[] { 0xfb, 0xff }, envelope!.Payload.ToArray());
    }

    public static TheoryData<string, EnvelopeError> Malformed => new()
    {
        { "", EnvelopeError.MalformedJson },
        { "not json", EnvelopeError.MalformedJson },
        { "{\"payload\":", EnvelopeError.MalformedJson },
        { "[]", EnvelopeError.NotAnObject },
        { "\"x\"", EnvelopeError.NotAnObject },
        { $$"""{"payloadType":"t","signatures":[{"keyid":"{{KeyIdHex}}","sig":"{{Sig}}"}]}""", EnvelopeError.MissingPayload },
        { $$"""{"payload":"","signatures":[{"keyid":"{{KeyIdHex}}","sig":"{{Sig}}"}]}""", EnvelopeError.MissingPayloadType },
        { $$"""{"payload":"","payloadType":"","signatures":[{"keyid":"{{KeyIdHex}}","sig":"{{Sig}}"}]}""", EnvelopeError.MissingPayloadType },
        { """{"payload":"","payloadType":"t"}""", EnvelopeError.MissingSignatures },
        { """{"payload":"","payloadType":"t","signatures":[]}""", EnvelopeError.MissingSignatures },
        { """{"payload":1,"payloadType":"t","signatures":[]}""", EnvelopeError.WrongFieldType },
        { """{"payload":"","payloadType":"t","signatures":{}}""", EnvelopeError.WrongFieldType },
        { """{"payload":"","payloadType":"t","signatures":["x"]}""", EnvelopeError.WrongFieldType },
        { $$"""{"payload":"!!!","payloadType":"t","signatures":[{"keyid":"{{KeyIdHex}}","sig":"{{Sig}}"}]}""", EnvelopeError.BadPayloadEncoding },
        { $$"""{"payload":"a+-b","payloadType":"t","signatures":[{"keyid":"{{KeyIdHex}}","sig":"{{Sig}}"}]}""", EnvelopeError.BadPayloadEncoding },
        { $$"""{"payload":"","payloadType":"t","signatures":[{"sig":"{{Sig}}"}]}""", EnvelopeError.MissingKeyId },
        { $$"""{"payload":"","payloadType":"t","signatures":[{"keyid":"abc","sig":"{{Sig}}"}]}""", EnvelopeError.BadKeyId },
        { $$"""{"payload":"","payloadType":"t","signatures":[{"keyid":"{{KeyIdHex}}"}]}""", EnvelopeError.MissingSignature },
        { $$"""{"payload":"","payloadType":"t","signatures":[{"keyid":"{{KeyIdHex}}","sig":"%%"}]}""", EnvelopeError.BadSignatureEncoding },
        { $$"""{"payload":"","payloadType":"t","signatures":[{"keyid":"{{KeyIdHex}}","sig":"AAAA"}]}""", EnvelopeError.BadSignatureLength },
        { $$"""{"payload":"","payloadType":"t","signatures":[{"keyid":"{{KeyIdHex}}","sig":"{{Convert.ToBase64String(new byte[65])}}"}]}""", EnvelopeError.BadSignatureLength },
        { $$"""{"payload":"","payload":"","payloadType":"t","signatures":[{"keyid":"{{KeyIdHex}}","sig":"{{Sig}}"}]}""", EnvelopeError.DuplicateField },
        { $$"""{"payload":"","payloadType":"t","signatures":[{"keyid":"{{KeyIdHex}}","keyid":"{{KeyIdHex}}","sig":"{{Sig}}"}]}""", EnvelopeError.DuplicateField },
        { $$"""{"payload":"","payloadType":"t","signatures":[{"keyid":"{{KeyIdHex}}","sig":"{{Sig}}"}]} {}""", EnvelopeError.MalformedJson },
        { """{"payload":"","payloadType":"\ud800","signatures":[]}""", EnvelopeError.MalformedJson },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryDecode_MalformedEnvelope_GivesReason(string json, EnvelopeError expected)
    {
        Assert.False(EnvelopeCodec.TryDecode(Encoding.UTF8.GetBytes(json), out var envelope, out var error));
        Assert.Null(envelope);
        Assert.Equal(expected, error);
    }

    // Found by fuzzing (tests/fuzz.sh envelope): Base64Url.IsValid takes '%' for padding (the URL-encoded '=' of "%3D"),
    // and TryDecodeFromChars then threw FormatException out of TryDecode. The fuzzer's input is
    // tests/Fuzzing/regressions/envelope/base64-percent-padding.
    [Theory]
    [InlineData("AAAA%", "{{Sig}}")]
    [InlineData("AAA%=", "{{Sig}}")]
    [InlineData("AA%%", "{{Sig}}")]
    [InlineData("", "AAAA%")]
    [InlineData("", "NQ29BqFUutPqXNSu+tNYqAxSCNomNUPcAcyZ4Zth0kmlC6PbHD0frX2E6JiXAZ+5LPH9L/Qg2K+1xyHgoqRvAA%=")]
    public void TryDecode_PercentInBase64_GivesReasonNotException(string payload, string sig)
    {
        var json = $$"""{"payload":"{{payload}}","payloadType":"t","signatures":[{"keyid":"{{KeyIdHex}}","sig":"{{sig.Replace("{{Sig}}", Sig, StringComparison.Ordinal)}}"}]}""";

        Assert.False(EnvelopeCodec.TryDecode(Encoding.UTF8.GetBytes(json), out var envelope, out var error));
        Assert.Null(envelope);
        Assert.Equal(payload.Length > 0 ? EnvelopeError.BadPayloadEncoding : EnvelopeError.BadSignatureEncoding, error);
    }

    [Fact]
    public void TryDecode_UnrecognizedMembers_AreIgnored()
    {
        // DSSE envelope.md, "Parsing rules": consumers MUST ignore unrecognized fields.
        var json = $$"""{"payload":"aGk=","x":{"y":[1,{"z":null}]},"payloadType":"t","signatures":[{"keyid":"{{KeyIdHex}}","extra":"e","sig":"{{Sig}}"}]}""";

        Assert.True(EnvelopeCodec.TryDecode(Encoding.UTF8.GetBytes(json), out var envelope, out var error), error.ToString());
        Assert.Equal("hi"u8.ToArray(), envelope!.Payload.ToArray());
        Assert.Single(envelope.Signatures);
    }

    [Fact]
    public void TryDecode_TooManySignatures_GivesReason()
    {
        var one = $$"""{"keyid":"{{KeyIdHex}}","sig":"{{Sig}}"}""";
        var json = $$"""{"payload":"","payloadType":"t","signatures":[{{string.Join(',', Enumerable.Repeat(one, EnvelopeCodec.MaxSignatures + 1))}}]}""";

        Assert.False(EnvelopeCodec.TryDecode(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Equal(EnvelopeError.TooManySignatures, error);
    }

    [Fact]
    public void TryDecode_OverSizeLimit_GivesTooLarge()
    {
        using var signer = DeviceSigner.Create();
        var encoded = EnvelopeCodec.Encode(signer.Sign(new byte[1000], "t"));

        Assert.False(EnvelopeCodec.TryDecode(encoded, encoded.Length - 1, out _, out var error));
        Assert.Equal(EnvelopeError.TooLarge, error);
        Assert.True(EnvelopeCodec.TryDecode(encoded, encoded.Length, out _, out _));
    }

    [Fact]
    public void TryDecode_HugeInput_GivesTooLargeWithoutParsing()
    {
        var huge = new byte[EnvelopeCodec.DefaultMaxBytes + 1];

        Assert.False(EnvelopeCodec.TryDecode(huge, out _, out var error));
        Assert.Equal(EnvelopeError.TooLarge, error);
    }

    [Fact]
    public void TryDecode_DeeplyNested_GivesReasonNotException()
    {
        var json = "{\"payload\":" + new string('[', 5000) + new string(']', 5000) + "}";

        Assert.False(EnvelopeCodec.TryDecode(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.NotEqual(EnvelopeError.None, error);
    }

    [Property(MaxTest = 500)]
    public bool TryDecode_RandomBytes_NeverThrows(byte[] junk)
    {
        var ok = EnvelopeCodec.TryDecode(junk, out var envelope, out var error);
        return ok == (envelope is not null) && ok == (error == EnvelopeError.None);
    }

    [Property(MaxTest = 300)]
    public bool TryDecode_RandomlyCorruptedEnvelope_NeverThrows(NonNegativeInt position, byte value)
    {
        using var signer = DeviceSigner.Create();
        var encoded = EnvelopeCodec.Encode(signer.Sign("{\"a\":1}"u8, "t"));
        encoded[position.Get % encoded.Length] = value;

        var ok = EnvelopeCodec.TryDecode(encoded, out var envelope, out var error);
        return ok == (envelope is not null) && ok == (error == EnvelopeError.None);
    }
}
