using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using NSec.Cryptography;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Benchmarks.Micro;

/// <summary>
/// Verifying one device envelope (a 50-pack shipping event), next to the machine limit: one raw NSec Ed25519 verification
/// over a message as long as the envelope's DSSE pre-authentication encoding, and one SHA-256 of 32 bytes.
/// </summary>
/// <remarks>Public and unsealed: BenchmarkDotNet derives its generated runner from the class.</remarks>
[MemoryDiagnoser]
public class SigningBenchmarks : IDisposable
{
    private DeviceSigner? signer;
    private Key? rawKey;
    private Envelope? envelope;
    private byte[] envelopeBytes = [];
    private byte[] rawMessage = [];
    private byte[] rawSignature = [];
    private readonly byte[] hashInput = new byte[32];
    private readonly byte[] hashOutput = new byte[32];

    [GlobalSetup]
    public void Setup()
    {
        signer = DeviceSigner.FromSeed(new byte[DeviceSigner.SeedSize]);
        var payload = EventCodec.Encode(CustodyEvents.Ship(Fixtures.T0, new DeviceStamp("scanner-1", 7, EventId.None, "boot-1", true),
            Fixtures.Uri(Fixtures.Maker), Fixtures.PackUris(0, 50), Fixtures.Uri(Fixtures.Wholesaler)));
        envelope = signer.Sign(payload, EventVocabulary.PayloadType);
        envelopeBytes = EnvelopeCodec.Encode(envelope);

        // DSSE PAE adds "DSSEv1", two lengths, the payload type and four spaces to the payload.
        rawMessage = new byte[payload.Length + EventVocabulary.PayloadType.Length + 20];
        rawKey = Key.Create(SignatureAlgorithm.Ed25519);
        rawSignature = SignatureAlgorithm.Ed25519.Sign(rawKey, rawMessage);
        if (!VerifyEnvelope() || !DecodeAndVerifyEnvelope() || !RawEd25519Verify())
        {
            throw new InvalidOperationException("The benchmark envelope does not verify.");
        }
    }

    [Benchmark(Description = "EnvelopeVerifier.Verify (decoded envelope)")]
    public bool VerifyEnvelope() => EnvelopeVerifier.Verify(envelope!, signer!.PublicKey);

    [Benchmark(Description = "EnvelopeCodec.TryDecode + Verify (wire bytes)")]
    public bool DecodeAndVerifyEnvelope() =>
        EnvelopeCodec.TryDecode(envelopeBytes, out var decoded, out _) && EnvelopeVerifier.Verify(decoded!, signer!.PublicKey);

    [Benchmark(Baseline = true, Description = "raw NSec Ed25519 verify (same length)")]
    public bool RawEd25519Verify() => SignatureAlgorithm.Ed25519.Verify(rawKey!.PublicKey, rawMessage, rawSignature);

    [Benchmark(Description = "raw SHA-256 of 32 bytes")]
    public int RawSha256() => SHA256.HashData(hashInput, hashOutput);

    public void Dispose()
    {
        signer?.Dispose();
        rawKey?.Dispose();
        GC.SuppressFinalize(this);
    }
}
