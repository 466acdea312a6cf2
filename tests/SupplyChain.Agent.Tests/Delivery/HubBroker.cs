using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Agent.Tests.Delivery;

/// <summary>
/// A real MQTTnet 5 broker on a loopback port that plays the hub: it checks the device's credentials, takes the events
/// messages, records every event it receives in arrival order, and answers on the device's ack topic as
/// <see cref="Answer"/> says (by default: accepted, a duplicate gets its first index).
/// </summary>
internal sealed class HubBroker : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<long> _arrivals = [];
    private readonly List<CustodyEvent> _events = [];
    private readonly List<int> _messageSizes = [];
    private readonly Dictionary<EventId, long> _logged = [];
    private readonly Dictionary<long, int> _seen = [];
    private readonly List<(StationStatus Status, bool Retained)> _statuses = [];
    private MqttServer? _server;
    private int _keepAliveSeconds = -1;

    public HubBroker(string deviceId, string password)
    {
        DeviceId = deviceId;
        Password = password;
        Port = FreePort();
    }

    public string DeviceId { get; }

    public string Password { get; }

    public int Port { get; }

    /// <summary>What the hub answers for an event (its seq and how often it has arrived, 1 the first time); null: no answer.</summary>
    public Func<long, int, string?> Answer { get; set; } = (_, _) => AckStatus.Accepted.ToString();

    /// <summary>The keep-alive (seconds) the device asked for in its last CONNECT; -1 before any.</summary>
    public int KeepAliveSeconds => Volatile.Read(ref _keepAliveSeconds);

    /// <summary>Refuse status reports with PUBACK NotAuthorized, as a hub older than the status topic does.</summary>
    public bool RefuseStatus { get; set; }

    /// <summary>Every status report received on the device's status topic, decoded, with its retain flag.</summary>
    public IReadOnlyList<(StationStatus Status, bool Retained)> Statuses
    {
        get
        {
            lock (_gate)
            {
                return [.. _statuses];
            }
        }
    }

    /// <summary>Every event seq received, in arrival order, resends included.</summary>
    public IReadOnlyList<long> Arrivals
    {
        get
        {
            lock (_gate)
            {
                return [.. _arrivals];
            }
        }
    }

    /// <summary>Every event received, decoded, in arrival order, resends included.</summary>
    public IReadOnlyList<CustodyEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<int> MessageSizes
    {
        get
        {
            lock (_gate)
            {
                return [.. _messageSizes];
            }
        }
    }

    /// <summary>How many distinct events the hub accepted ("logged").</summary>
    public int LoggedCount
    {
        get
        {
            lock (_gate)
            {
                return _logged.Count;
            }
        }
    }

    public async Task StartAsync()
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(Port)
            .WithPersistentSessions()
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.ValidatingConnectionAsync += args =>
        {
            Volatile.Write(ref _keepAliveSeconds, args.KeepAlivePeriod ?? 0);
            args.ReasonCode = args.ClientId == DeviceId && args.UserName == DeviceId && args.Password == Password
                ? MqttConnectReasonCode.Success
                : MqttConnectReasonCode.BadUserNameOrPassword;
            return Task.CompletedTask;
        };
        _server.InterceptingPublishAsync += OnPublishAsync;
        await _server.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            await server.StopAsync(new MqttServerStopOptions());
            server.Dispose();
            _server = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task OnPublishAsync(InterceptingPublishEventArgs args)
    {
        if (args.ClientId != DeviceId || !ColdTraceTopic.TryParse(args.ApplicationMessage.Topic, out var topic, out _))
        {
            return;
        }

        if (topic.Kind == TopicKind.DeviceStatus && topic.Device.Value == DeviceId)
        {
            if (RefuseStatus)
            {
                args.ProcessPublish = false;
                args.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
                return;
            }

            Assert.True(StationStatus.TryDecode(args.ApplicationMessage.Payload.ToArray(), out var status, out var statusError), statusError.ToString());
            lock (_gate)
            {
                _statuses.Add((status!, args.ApplicationMessage.Retain));
            }

            return;
        }

        if (topic.Kind != TopicKind.DeviceEvents)
        {
            return;
        }

        args.ProcessPublish = false;
        Assert.True(EventMessage.TrySplit(args.ApplicationMessage.Payload.ToArray(), out var parts, out var error), error.ToString());
        var acks = new List<EventAck>();
        lock (_gate)
        {
            _messageSizes.Add(parts.Count);
            foreach (var part in parts)
            {
                Assert.True(EnvelopeCodec.TryDecode(part.Span, out var envelope, out _));
                Assert.True(EventCodec.TryDecode(envelope!.Payload.Span, out var custody, out _));
                var seq = custody!.Device.Seq;
                _arrivals.Add(seq);
                _events.Add(custody);
                _seen[seq] = _seen.GetValueOrDefault(seq) + 1;
                var answer = Answer(seq, _seen[seq]);
                if (answer == AckStatus.Accepted.ToString())
                {
                    var duplicate = _logged.TryGetValue(envelope.EventId, out var index);
                    if (!duplicate)
                    {
                        index = _logged.Count;
                        _logged.Add(envelope.EventId, index);
                    }

                    acks.Add(EventAck.Accepted(envelope.EventId.ToString(), index, duplicate));
                }
                else if (answer is not null)
                {
                    acks.Add(EventAck.Rejected(envelope.EventId.ToString(), answer));
                }
            }
        }

        if (acks.Count > 0 && _server is { } server)
        {
            var ack = new MqttApplicationMessageBuilder()
                .WithTopic(ColdTraceTopic.DeviceAcks(topic.Device))
                .WithPayload(AckMessage.Encode(new AckMessage { Acks = acks }))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            await server.InjectApplicationMessage(new InjectedMqttApplicationMessage(ack) { SenderClientId = "$hub" }, args.CancellationToken);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
