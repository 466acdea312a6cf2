using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Ingest;
using SupplyChain.Hub.Verification;

namespace SupplyChain.Hub.Broker;

/// <summary>
/// The MQTTnet 5 broker inside the hub (DESIGN §4). CONNECT: the client id must be an enrolled, active device id, the
/// user name the same id and the password the device's (PROTOCOL.md §5.1). PUBLISH and SUBSCRIBE: <see cref="BrokerAccess"/>.
/// Messages on a device's events topic go to the ingest queue, on its verify topic to <see cref="VerifyQueue"/>, and on
/// its status topic to <see cref="DeviceStatusBoard"/>, instead of to subscribers. The hub publishes acks, answers and retained topics by injection, which no device rule
/// applies to.
/// </summary>
internal sealed partial class EmbeddedBroker(
    IOptions<BrokerOptions> options,
    IDeviceRegistry registry,
    DeviceEnrolment enrolment,
    IngestQueue ingest,
    VerifyQueue verify,
    DeviceStatusBoard statuses,
    ILogger<EmbeddedBroker> logger) : IHostedService, IHubPublisher, IDisposable
{
    /// <summary>The sender id of everything the hub itself publishes; never a valid device id, so no device can claim it.</summary>
    public const string HubClientId = "$hub";

    private MqttServer? _server;

    public event EventHandler? Connected;

    /// <summary>The TCP port the broker listens on, once started (the chosen one when configured as 0).</summary>
    public int Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsEmbedded)
        {
            return;
        }

        var address = IPAddress.Parse(settings.Address);
        Port = settings.Port == 0 ? FreePort(address) : settings.Port;
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(address)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(Port)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        enrolment.Revoked += OnRevoked;
        await _server.StartAsync();
        LogListening(address, Port);
        Connected?.Invoke(this, EventArgs.Empty);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        enrolment.Revoked -= OnRevoked;
        if (_server is { IsStarted: true })
        {
            await _server.StopAsync(new MqttServerStopOptions());
        }
    }

    /// <summary>Publishes as the hub at QoS 1, bypassing the device rules.</summary>
    public Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken) =>
        ((IHubPublisher)this).PublishAsync(topic, payload, retain, cancellationToken);

    /// <summary>Publishes <paramref name="message"/> as the hub (client id <see cref="HubClientId"/>), bypassing the device rules.</summary>
    public Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var server = _server ?? throw new InvalidOperationException("The embedded broker is not running.");
        return server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = HubClientId }, cancellationToken);
    }

    public void Dispose() => _server?.Dispose();

    private Task ValidateConnectionAsync(ValidatingConnectionEventArgs args)
    {
        // Username = client id = device id (PROTOCOL.md §5.1); anything else is refused before the password is checked.
        if (!DeviceId.TryParse(args.ClientId, out var id, out _) || registry.Find(id) is not { IsActive: true } device)
        {
            args.ReasonCode = MqttConnectReasonCode.NotAuthorized;
            LogRefused(args.ClientId, "unknown or revoked device");
            return Task.CompletedTask;
        }

        if (!string.Equals(args.UserName, args.ClientId, StringComparison.Ordinal)
            || args.RawPassword is null
            || !DevicePassword.Verify(args.RawPassword, device.PasswordHash))
        {
            args.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            LogRefused(args.ClientId, "bad user name or password");
            return Task.CompletedTask;
        }

        args.ReasonCode = MqttConnectReasonCode.Success;
        return Task.CompletedTask;
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs args)
    {
        if (string.IsNullOrEmpty(args.ClientId) || args.ClientId == HubClientId)
        {
            return;
        }

        var topic = args.ApplicationMessage.Topic;
        if (!DeviceId.TryParse(args.ClientId, out var device, out _) || !BrokerAccess.MayPublish(device, topic))
        {
            args.ProcessPublish = false;
            args.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            LogPublishRefused(args.ClientId, topic);
            return;
        }

        // The broker's buffer is reused after this call; the queues get their own copy. Waiting here when a queue is
        // full slows this device's connection down instead of dropping its messages.
        var payload = args.ApplicationMessage.Payload.ToArray();
        args.ProcessPublish = false;
        if (BrokerAccess.IsStatusReport(topic))
        {
            statuses.Offer(device, payload);
            return;
        }

        if (BrokerAccess.IsVerifyRequest(topic))
        {
            await verify.EnqueueAsync(new VerifyRequest(device, payload, args.ApplicationMessage.CorrelationData), args.CancellationToken);
            return;
        }

        await ingest.EnqueueAsync(device, payload, args.CancellationToken);
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs args)
    {
        var filter = args.TopicFilter.Topic;
        if (!DeviceId.TryParse(args.ClientId, out var id, out _)
            || registry.Find(id) is not { IsActive: true } device
            || !BrokerAccess.MaySubscribe(device, filter))
        {
            args.ProcessSubscription = false;
            args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            LogSubscribeRefused(args.ClientId, filter);
        }

        return Task.CompletedTask;
    }

    private void OnRevoked(DeviceId device)
    {
        var server = _server;
        if (server is null)
        {
            return;
        }

        _ = DisconnectAsync(server, device);
    }

    private async Task DisconnectAsync(MqttServer server, DeviceId device)
    {
        try
        {
            var clients = await server.GetClientsAsync();
            foreach (var client in clients.Where(c => c.Id == device.Value))
            {
                await client.DisconnectAsync(new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized, ReasonString = "device revoked" });
            }
        }
        catch (Exception exception)
        {
            // Fire-and-forget from the revocation: the device is refused at its next CONNECT and publish anyway.
            LogDisconnectFailed(device, exception);
        }
    }

    private static int FreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
    private partial void LogListening(IPAddress address, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CONNECT refused for client {ClientId}: {Reason}")]
    private partial void LogRefused(string clientId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PUBLISH refused: client {ClientId} may not publish to {Topic}")]
    private partial void LogPublishRefused(string clientId, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SUBSCRIBE refused: client {ClientId} may not subscribe to {Filter}")]
    private partial void LogSubscribeRefused(string clientId, string filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not disconnect revoked device {Device}")]
    private partial void LogDisconnectFailed(DeviceId device, Exception exception);
}
