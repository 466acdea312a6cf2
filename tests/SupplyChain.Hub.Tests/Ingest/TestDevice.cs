using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;
using SupplyChain.Hub.Devices;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Hub.Tests.Ingest;

/// <summary>A device as an agent would be: its own Ed25519 key and a hash chain of signed dispensing events.</summary>
internal sealed class TestDevice : IDisposable
{
    public const string Site = "9506000134383";
    public const string SiteUri = "https://id.gs1.org/414/9506000134383";

    private long _nextSeq;
    private EventId _prev = EventId.None;

    public TestDevice(string id)
    {
        Id = id;
        Signer = DeviceSigner.Create();
    }

    public string Id { get; }

    public string Password { get; } = DevicePassword.Generate();

    public DeviceSigner Signer { get; }

    public string PublicKeyBase64 => Convert.ToBase64String(Signer.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey));

    public EnrolRequest Enrolment(string site = Site) => new(Id, PublicKeyBase64, site, "pharmacy", Password, "test");

    /// <summary>The next event of the chain, signed.</summary>
    public Envelope Next(int pack = 1)
    {
        var envelope = Make(_nextSeq, _prev, pack);
        _nextSeq++;
        _prev = envelope.EventId;
        return envelope;
    }

    /// <summary>An event at any place, signed with this device's key, without moving the chain.</summary>
    public Envelope Make(long seq, EventId prev, int pack = 1, string? deviceId = null)
    {
        var stamp = new DeviceStamp(deviceId ?? Id, seq, prev, "boot-1", ClockSynced: true);
        var time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero).AddSeconds(seq);
        var custodyEvent = CustodyEvents.Dispense(time, stamp, SiteUri, [$"https://id.gs1.org/01/09506000134352/21/S{pack}"]);
        return Signer.Sign(EventCodec.Encode(custodyEvent), EventVocabulary.PayloadType);
    }

    public void Dispose() => Signer.Dispose();
}
