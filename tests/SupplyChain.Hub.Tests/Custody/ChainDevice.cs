using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Tests.Ingest;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Hub.Tests.Custody;

/// <summary>
/// A supply-chain device as an agent would be: enrolled through <see cref="DeviceEnrolment"/> at a site with a role, its
/// own Ed25519 key, a hash chain of signed events, and a real MQTT connection to the hub's broker.
/// </summary>
internal sealed class ChainDevice : IAsyncDisposable
{
    public const string Gtin = "09506000134352";
    public const string Lot = "L1";
    public static readonly DateOnly Expiry = new(2030, 1, 31);
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly TestDevice _device;
    private long _nextSeq;
    private EventId _prev = EventId.None;

    private ChainDevice(TestDevice device, string site, MqttDevice mqtt)
    {
        _device = device;
        Site = site;
        Mqtt = mqtt;
    }

    public string Id => _device.Id;

    public string Site { get; }

    public string SiteUri => UriOf(Site);

    public MqttDevice Mqtt { get; private set; }

    public static string UriOf(string gln) => $"https://id.gs1.org/414/{gln}";

    public static string Pack(string serial) => $"https://id.gs1.org/01/{Gtin}/21/{serial}";

    /// <summary>Enrols a new device (a hub-decision leaf) and connects it to the broker.</summary>
    public static async Task<ChainDevice> EnrolAsync(RunningHub hub, string id, string site, string role)
    {
        var device = new TestDevice(id);
        var request = new EnrolRequest(id, device.PublicKeyBase64, site, role, device.Password, "test");
        var result = await hub.Service<DeviceEnrolment>().EnrollAsync(request, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Error);
        return new ChainDevice(device, site, await MqttDevice.ConnectAsync(hub.BrokerPort, device));
    }

    /// <summary>Connects again, to a restarted hub; the key and the chain position stay.</summary>
    public async Task ReconnectAsync(RunningHub hub)
    {
        await Mqtt.DisposeAsync();
        Mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, _device);
    }

    public Envelope Next(Func<DateTimeOffset, DeviceStamp, CustodyEvent> make)
    {
        var stamp = new DeviceStamp(Id, _nextSeq, _prev, "boot-1", ClockSynced: true);
        var envelope = _device.Signer.Sign(EventCodec.Encode(make(T0.AddMinutes(_nextSeq), stamp)), EventVocabulary.PayloadType);
        _nextSeq++;
        _prev = envelope.EventId;
        return envelope;
    }

    public Envelope Commission(params string[] serials) =>
        Next((time, stamp) => CustodyEvents.Commission(time, stamp, SiteUri, [.. serials.Select(Pack)], Lot, Expiry));

    public Envelope Ship(string toGln, params string[] serials) =>
        Next((time, stamp) => CustodyEvents.Ship(time, stamp, SiteUri, [.. serials.Select(Pack)], UriOf(toGln)));

    public Envelope Receive(string fromGln, params string[] serials) =>
        Next((time, stamp) => CustodyEvents.Receive(time, stamp, SiteUri, [.. serials.Select(Pack)], UriOf(fromGln)));

    public Envelope Dispense(params string[] serials) =>
        Next((time, stamp) => CustodyEvents.Dispense(time, stamp, SiteUri, [.. serials.Select(Pack)]));

    /// <summary>Publishes one event over MQTT and returns its ack.</summary>
    public async Task<EventAck> SendAsync(Envelope envelope)
    {
        await Mqtt.PublishAsync(EventMessage.Encode(envelope));
        var ack = Assert.Single((await Mqtt.NextAckAsync()).Acks);
        Assert.Equal(envelope.EventId.ToString(), ack.EventId);
        return ack;
    }

    /// <summary>Publishes one event and asserts it was logged with a green verdict.</summary>
    public async Task<EventAck> SendGreenAsync(Envelope envelope)
    {
        var ack = await SendAsync(envelope);
        Assert.Equal(AckStatus.Accepted, ack.Status);
        Assert.Equal("green", ack.Verdict);
        Assert.Null(ack.Detail);
        return ack;
    }

    public async ValueTask DisposeAsync()
    {
        await Mqtt.DisposeAsync();
        _device.Dispose();
    }
}
