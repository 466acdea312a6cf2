using NSec.Cryptography;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Contracts.Tests.Signing;

public sealed class DeviceSignerTests
{
    // RFC 8032 §7.1, TEST 1.
    private static readonly byte[] Rfc8032Seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    private static readonly byte[] Rfc8032Public = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private static readonly byte[] Rfc8032Signature = Convert.FromHexString(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

    [Fact]
    public void FromSeed_Rfc8032Test1_DerivesPublicKey()
    {
        using var signer = DeviceSigner.FromSeed(Rfc8032Seed);

        Assert.Equal(Rfc8032Public, signer.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    [Fact]
    public void Ed25519_Rfc8032Test1EmptyMessage_GivesKnownSignature()
    {
        // The primitive under the envelope; the envelope signs PAE bytes, so this checks NSec is wired as RFC 8032 says.
        using var key = Key.Import(SignatureAlgorithm.Ed25519, Rfc8032Seed, KeyBlobFormat.RawPrivateKey);

        Assert.Equal(Rfc8032Signature, SignatureAlgorithm.Ed25519.Sign(key, []));
    }

    [Fact]
    public void KeyId_Rfc8032Test1_IsSha256OfRawPublicKey()
    {
        using var signer = DeviceSigner.FromSeed(Rfc8032Seed);

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Rfc8032Public)), signer.KeyId.ToString());
        Assert.Equal(KeyId.Of(Rfc8032Public), signer.KeyId);
    }

    [Fact]
    public void ExportSeed_RoundTrip_RestoresSameKey()
    {
        using var signer = DeviceSigner.Create();
        using var restored = DeviceSigner.FromSeed(signer.ExportSeed());

        Assert.Equal(signer.KeyId, restored.KeyId);
        Assert.Equal(32, signer.ExportSeed().Length);
    }

    [Fact]
    public void FromSeed_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => DeviceSigner.FromSeed(new byte[31]));
    }

    [Fact]
    public void Sign_Rfc8032Key_SignatureVerifiesOverPaeWithThirdPartyCode()
    {
        using var signer = DeviceSigner.FromSeed(Rfc8032Seed);
        var envelope = signer.Sign("hello world"u8, "http://example.com/HelloWorld");

        // Verify with only the RFC 8032 public key bytes and the PAE string from the DSSE spec.
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, Rfc8032Public, KeyBlobFormat.RawPublicKey);
        var pae = "DSSEv1 29 http://example.com/HelloWorld 11 hello world"u8;
        Assert.True(SignatureAlgorithm.Ed25519.Verify(publicKey, pae, envelope.Signatures[0].Signature.Span));
        Assert.Equal(signer.KeyId, envelope.Signatures[0].KeyId);
    }

    [Fact]
    public void Sign_Payload_EventIdIsSha256OfPayload()
    {
        using var signer = DeviceSigner.Create();
        var envelope = signer.Sign("abc"u8, "t");

        // FIPS 180-2 Appendix B.1: SHA-256("abc").
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", envelope.EventId.ToString());
    }
}
