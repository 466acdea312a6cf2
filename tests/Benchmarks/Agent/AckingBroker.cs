using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Benchmarks.Agent;

/// <summary>
/// A minimal MQTT 5 endpoint that answers like the hub and does nothing else: an MQTTnet broker on loopback (the
/// library the hub's embedded broker is) that splits each events message, decodes every envelope and publishes
/// <c>accepted</c> with a log index on the device's ack topic (PROTOCOL.md §5.3), a resent event with the index it
/// already has. No signature check, no storage: it measures how fast the agent can hand over a backlog, not the hub.
/// </summary>
internal sealed class AckingBroker : IAsyncDisposable
{
    private readonly MqttServer _server;
    private readonly ConcurrentDictionary<EventId, long> _indexes = new();
    private long _next;
    private long _received;
    private long _firstAt;
    private long _lastNewAt;

    private AckingBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Distinct events answered.</summary>
    public long Distinct => Interlocked.Read(ref _next);

    /// <summary>Envelopes received, resends included.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Undecodable envelopes or messages.</summary>
    public long Malformed { get; private set; }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> of the first events message, 0 before.</summary>
    public long FirstAt => Interlocked.Read(ref _firstAt);

    /// <summary><see cref="Stopwatch.GetTimestamp"/> at which the latest new event was answered.</summary>
    public long LastNewAt => Interlocked.Read(ref _lastNewAt);

    public static async Task<AckingBroker> StartAsync()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        var broker = new AckingBroker(server, port);
        server.InterceptingPublishAsync += broker.OnPublishAsync;
        await server.StartAsync();
        return broker;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync(new MqttServerStopOptions());
        _server.Dispose();
    }

    private async Task OnPublishAsync(InterceptingPublishEventArgs args)
    {
        var topic = args.ApplicationMessage.Topic;
        if (args.ClientId is not { Length: > 0 } client || !topic.EndsWith("/events", StringComparison.Ordinal)
            || !DeviceId.TryParse(client, out var device, out _))
        {
            return;
        }

        Interlocked.CompareExchange(ref _firstAt, Stopwatch.GetTimestamp(), 0);
        var acks = new List<EventAck>();
        if (!EventMessage.TrySplit(System.Buffers.BuffersExtensions.ToArray(args.ApplicationMessage.Payload), out var envelopes, out _))
        {
            Malformed++;
            return;
        }

        foreach (var bytes in envelopes)
        {
            if (!EnvelopeCodec.TryDecode(bytes.Span, out var envelope, out _))
            {
                Malformed++;
                continue;
            }

            Interlocked.Increment(ref _received);
            var fresh = false;
            var index = _indexes.GetOrAdd(envelope!.EventId, _ =>
            {
                fresh = true;
                return Interlocked.Increment(ref _next) - 1;
            });
            if (fresh)
            {
                Interlocked.Exchange(ref _lastNewAt, Stopwatch.GetTimestamp());
            }

            acks.Add(EventAck.Accepted(envelope.EventId.ToString(), index, duplicate: !fresh));
        }

        var answer = new MqttApplicationMessageBuilder()
            .WithTopic(ColdTraceTopic.DeviceAcks(device))
            .WithPayload(AckMessage.Encode(new AckMessage { Acks = acks }))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await _server.InjectApplicationMessage(new InjectedMqttApplicationMessage(answer) { SenderClientId = "hub" });
        args.ProcessPublish = false;
    }
}
