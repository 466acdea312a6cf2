using NSec.Cryptography;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.IntegrationTests.Scenario;

/// <summary>
/// Checks a verification answer's proofs as an auditor would without the hub's code (docs/API.md "The answer"): each
/// entry's leaf hash computed here from its bytes (PROTOCOL.md §4.6), its C2SP tlog-proof checked against the log key the
/// hub printed at start (contracts <see cref="TlogProof"/> and <see cref="NoteVerifier"/>), the envelope's signature
/// checked against the key the station was enrolled with, and the event shown to name the pack.
/// </summary>
internal sealed class OfflineProofCheck
{
    /// <summary>The kind byte of a device-event leaf (PROTOCOL.md §4.6).</summary>
    private const byte DeviceEventLeaf = 0x01;

    private readonly NoteVerifier _log;
    private readonly IReadOnlyDictionary<string, PublicKey> _devices;
    private readonly Func<long, Task<EntryJson>> _entry;
    private readonly Dictionary<long, (CustodyEvent Event, byte[] LeafHash)> _entries = [];

    public OfflineProofCheck(string verifierKey, IReadOnlyDictionary<string, PublicKey> devices, Func<long, Task<EntryJson>> entry)
    {
        Assert.True(NoteVerifier.TryParse(verifierKey, out var log, out var reason), $"the hub's banner key '{verifierKey}': {reason}");
        _log = log!;
        VerifierKey = verifierKey;
        _devices = devices;
        _entry = entry;
    }

    public string VerifierKey { get; }

    /// <summary>How many proof bundles were checked.</summary>
    public int BundlesChecked { get; private set; }

    /// <summary>Checks every proof of <paramref name="answer"/>; returns the events they prove, in log order.</summary>
    public async Task<IReadOnlyList<CustodyEvent>> CheckAsync(VerificationJson answer)
    {
        Assert.Equal(VerifierKey, answer.LogKey);
        var events = new List<CustodyEvent>();
        foreach (var proof in answer.Proofs)
        {
            Assert.False(proof.Pending, $"{answer.Pack}: proof of entry {proof.Index} is pending");
            var (custody, leafHash) = await EntryAsync(proof.Index);
            Assert.Equal(Convert.ToBase64String(leafHash), proof.LeafHash);
            Assert.Equal("device_event", proof.Kind);
            Assert.True(TlogProof.TryParse(proof.Bundle, out var bundle, out var reason), $"{answer.Pack}, entry {proof.Index}: {reason}");
            Assert.Equal(proof.Index, bundle!.Index);
            var check = bundle.Verify(leafHash, [_log]);
            Assert.True(check.IsValid, $"{answer.Pack}, entry {proof.Index}: {check}");
            Assert.Contains(answer.Pack, custody.Epcs);
            BundlesChecked++;
            events.Add(custody);
        }

        return events;
    }

    private async Task<(CustodyEvent Event, byte[] LeafHash)> EntryAsync(long index)
    {
        if (_entries.TryGetValue(index, out var known))
        {
            return known;
        }

        var entry = await _entry(index);
        var body = Convert.FromBase64String(entry.Body);
        var leaf = new byte[body.Length + 1];
        leaf[0] = DeviceEventLeaf;
        body.CopyTo(leaf, 1);
        var leafHash = Rfc9162.HashLeaf(leaf);

        Assert.True(EnvelopeCodec.TryDecode(body, out var envelope, out var envelopeError), $"entry {index}: {envelopeError}");
        Assert.True(EventCodec.TryDecode(envelope!.Payload.Span, out var custody, out var eventError), $"entry {index}: {eventError}");
        Assert.True(_devices.TryGetValue(custody!.Device.DeviceId, out var key), $"entry {index}: unknown device {custody.Device.DeviceId}");
        Assert.True(EnvelopeVerifier.Verify(envelope, key!), $"entry {index}: the signature is not {custody.Device.DeviceId}'s");

        _entries[index] = (custody, leafHash);
        return (custody, leafHash);
    }
}
