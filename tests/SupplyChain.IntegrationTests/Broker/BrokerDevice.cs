using System.Buffers;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using NSec.Cryptography;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.IntegrationTests.Broker;

/// <summary>
/// A device as an agent would be (its own Ed25519 key, a hash chain of signed dispensing events) with a real MQTTnet 5
/// client that collects every message it receives by topic.
/// </summary>
internal sealed class BrokerDevice : IAsyncDisposable
{
    private readonly Channel<MqttApplicationMessage> _received = Channel.CreateUnbounded<MqttApplicationMessage>();
    private long _nextSeq;
    private EventId _prev = EventId.None;

    public BrokerDevice(string id, string site)
    {
        Id = id;
        Site = site;
        Assert.True(DeviceId.TryParse(id, out var device, out _));
        Device = device;
        Client.ApplicationMessageReceivedAsync += args =>
        {
            _received.Writer.TryWrite(args.ApplicationMessage);
            return Task.CompletedTask;
        };
    }

    public string Id { get; }

    public DeviceId Device { get; }

    public string Site { get; }

    public string Password { get; } = "device-pa55word-" + Guid.NewGuid().ToString("N")[..12];

    public DeviceSigner Signer { get; } = DeviceSigner.Create();

    public IMqttClient Client { get; } = new MqttClientFactory().CreateMqttClient();

    public string PublicKeyBase64 => Convert.ToBase64String(Signer.PublicKey.Export(KeyBlobFormat.RawPublicKey));

    /// <summary>The arguments of <c>devices enroll</c> for this device.</summary>
    public string[] EnrolArguments => ["enroll", "--id", Id, "--key", PublicKeyBase64, "--site", Site, "--role", "pharmacy", "--password", Password, "--actor", "test"];

    public async Task<MqttClientConnectResultCode> ConnectAsync(int port, string? password = null)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(Id)
            .WithCredentials(Id, password ?? Password)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        var result = await Client.ConnectAsync(options);
        return result.ResultCode;
    }

    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string filter)
    {
        var result = await Client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return result.Items.Single().ResultCode;
    }

    public async Task<MqttClientPublishReasonCode> PublishAsync(string topic, byte[] payload, byte[]? correlationData = null, bool retain = false)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithCorrelationData(correlationData)
            .WithRetainFlag(retain)
            .Build();
        return (await Client.PublishAsync(message)).ReasonCode;
    }

    /// <summary>The next event of the chain, signed, claiming to be <paramref name="claimedDevice"/> (this device by default).</summary>
    public Envelope Next(int pack = 1, string? claimedDevice = null)
    {
        var stamp = new DeviceStamp(claimedDevice ?? Id, _nextSeq, _prev, "boot-1", ClockSynced: true);
        var time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero).AddSeconds(_nextSeq);
        var custodyEvent = CustodyEvents.Dispense(time, stamp, $"https://id.gs1.org/414/{Site}", [$"https://id.gs1.org/01/09506000134352/21/S{pack}"]);
        var envelope = Signer.Sign(EventCodec.Encode(custodyEvent), EventVocabulary.PayloadType);
        _nextSeq++;
        _prev = envelope.EventId;
        return envelope;
    }

    /// <summary>The next message on <paramref name="topic"/>, or a failed test after <paramref name="seconds"/>.</summary>
    public async Task<MqttApplicationMessage> NextOnAsync(string topic, int seconds = 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            var message = await _received.Reader.ReadAsync(timeout.Token);
            if (message.Topic == topic)
            {
                return message;
            }
        }
    }

    /// <summary>The next ack message for this device.</summary>
    public async Task<AckMessage> NextAckAsync(int seconds = 20)
    {
        var message = await NextOnAsync(ColdTraceTopic.DeviceAcks(Device), seconds);
        Assert.True(AckMessage.TryDecode(message.Payload.ToArray(), out var ack));
        return ack!;
    }

    /// <summary>True when nothing at all arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> NothingWithinAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _received.Reader.WaitToReadAsync(timeout.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Client.IsConnected)
        {
            await Client.DisconnectAsync();
        }

        Client.Dispose();
        Signer.Dispose();
    }
}
