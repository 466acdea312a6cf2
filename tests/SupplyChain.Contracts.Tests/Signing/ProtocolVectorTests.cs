using System.Text;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Tests.Events;

namespace SupplyChain.Contracts.Tests.Signing;

/// <summary>
/// The worked example of PROTOCOL.md §3.7: the dispensing example payload signed with the RFC 8032 §7.1 TEST 1 key.
/// The signature was checked independently with pyca/cryptography (Ed25519PublicKey.verify over the PAE bytes);
/// Ed25519 is deterministic, so the values below are fixed.
/// </summary>
public sealed class ProtocolVectorTests
{
    private const string Seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private const string KeyIdHex = "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9";
    private const string EventIdHex = "7b50ef484e5e0be101e631e53809660e1143b68f7dee6547eb79de2519f390a1";
    private const string SignatureHex =
        "350dbd06a154bad3ea5cd4aefad358a80c5208da263543dc01cc99e19b61d249a50ba3db1c3d1fad7d84e89897019fb92cf1fd2ff420d8afb5c721e0a2a46f00";

    [Fact]
    public void Sign_DispensingExampleWithRfc8032Key_MatchesProtocolMd()
    {
        var payload = EventCodec.Encode(EventFixtures.Example(CustodyEventKind.Dispensing));
        using var signer = DeviceSigner.FromSeed(Convert.FromHexString(Seed));

        var envelope = signer.Sign(payload, EventVocabulary.PayloadType);

        Assert.Equal(715, payload.Length);
        Assert.Equal(KeyIdHex, signer.KeyId.ToString());
        Assert.Equal(EventIdHex, envelope.EventId.ToString());
        Assert.Equal(SignatureHex, Convert.ToHexStringLower(envelope.Signatures[0].Signature.Span));
    }

    [Fact]
    public void Encode_DispensingEnvelope_WritesPlusSignUnescaped()
    {
        using var signer = DeviceSigner.FromSeed(Convert.FromHexString(Seed));
        var json = Encoding.UTF8.GetString(EnvelopeCodec.Encode(signer.Sign("{}"u8, EventVocabulary.PayloadType)));

        Assert.Contains("\"payloadType\":\"application/vnd.coldtrace.epcis-event.v1+json\"", json, StringComparison.Ordinal);
    }
}
