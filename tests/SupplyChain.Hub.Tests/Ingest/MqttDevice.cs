using System.Buffers;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Hub.Tests.Ingest;

/// <summary>A real MQTTnet 5 client on loopback, connected as a device and listening on its ack topic.</summary>
internal sealed class MqttDevice : IAsyncDisposable
{
    private readonly Channel<AckMessage> _acks = Channel.CreateUnbounded<AckMessage>();
    private readonly Channel<MqttApplicationMessage> _other = Channel.CreateUnbounded<MqttApplicationMessage>();

    private MqttDevice(IMqttClient client, string id)
    {
        Client = client;
        Id = id;
        client.ApplicationMessageReceivedAsync += args =>
        {
            if (args.ApplicationMessage.Topic == ColdTraceTopic.DeviceAcks(DeviceIdOf(id))
                && AckMessage.TryDecode(args.ApplicationMessage.Payload.ToArray(), out var message))
            {
                _acks.Writer.TryWrite(message!);
            }
            else
            {
                _other.Writer.TryWrite(args.ApplicationMessage);
            }

            return Task.CompletedTask;
        };
    }

    public IMqttClient Client { get; }

    public string Id { get; }

    public static MqttClientOptions Options(int port, string clientId, string? userName, string? password) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCredentials(userName, password)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();

    /// <summary>Tries to connect; returns the CONNACK result code.</summary>
    public static async Task<MqttClientConnectResultCode> TryConnectAsync(int port, string clientId, string? userName, string? password)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(port, clientId, userName, password));
        return result.ResultCode;
    }

    public static async Task<MqttDevice> ConnectAsync(int port, TestDevice device, bool subscribe = true)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var mqtt = new MqttDevice(client, device.Id);
        await client.ConnectAsync(Options(port, device.Id, device.Id, device.Password));
        if (subscribe)
        {
            var result = await mqtt.SubscribeAsync(ColdTraceTopic.DeviceAcks(DeviceIdOf(device.Id)));
            Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, result);
        }

        return mqtt;
    }

    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string filter)
    {
        var options = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce, noLocal: false, retainAsPublished: false, MqttRetainHandling.SendAtSubscribe)
            .Build();
        var result = await Client.SubscribeAsync(options);
        return result.Items.Single().ResultCode;
    }

    public async Task<MqttClientPublishReasonCode> PublishAsync(byte[] payload, string? topic = null)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic ?? ColdTraceTopic.DeviceEvents(DeviceIdOf(Id)))
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var result = await Client.PublishAsync(message);
        return result.ReasonCode;
    }

    /// <summary>The next ack message, or a failed test after 20 s.</summary>
    public async Task<AckMessage> NextAckAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await _acks.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Acks until <paramref name="count"/> event answers have arrived.</summary>
    public async Task<List<EventAck>> AcksAsync(int count)
    {
        var answers = new List<EventAck>();
        while (answers.Count < count)
        {
            answers.AddRange((await NextAckAsync()).Acks);
        }

        return answers;
    }

    /// <summary>The next message on any topic but the ack topic, or a failed test after 20 s.</summary>
    public async Task<MqttApplicationMessage> NextOtherAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await _other.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>True when no ack arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> NoAckWithinAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _acks.Reader.WaitToReadAsync(timeout.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public static DeviceId DeviceIdOf(string id)
    {
        Assert.True(DeviceId.TryParse(id, out var parsed, out var reason), reason);
        return parsed;
    }

    public async ValueTask DisposeAsync()
    {
        if (Client.IsConnected)
        {
            try
            {
                await Client.DisconnectAsync();
            }

            // The broker closed it first (e.g. a session takeover by a second connection with the same client id).
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
            }
        }

        Client.Dispose();
    }
}
