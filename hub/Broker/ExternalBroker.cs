using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Ingest;
using SupplyChain.Hub.Verification;

namespace SupplyChain.Hub.Broker;

/// <summary>
/// The hub as a client of an external MQTT 5 broker (DESIGN §4, <c>Broker:Mode=External</c>): the broker authenticates
/// devices and enforces the topic ACLs (firmware-config/mosquitto); the hub subscribes to every device's events and
/// verify topics (and status reports, retained ones included, PROTOCOL.md §5.8), feeds the same ingest and verification
/// queues and status board as the embedded broker, and publishes acks, answers and retained topics as its own user. The device a message belongs to is the one its topic names — the broker's ACL
/// makes that the publisher — and ingest re-checks it against the envelope's signing key anyway (PROTOCOL.md §5.4).
/// A lost connection is retried with capped exponential backoff and jitter; the broker keeps the hub's session
/// (<see cref="ExternalBrokerOptions.SessionExpiry"/>), so device messages published meanwhile wait for it.
/// </summary>
internal sealed partial class ExternalBroker(
    IOptions<BrokerOptions> options,
    IngestQueue ingest,
    VerifyQueue verify,
    Devices.DeviceStatusBoard statuses,
    TimeProvider time,
    ILogger<ExternalBroker> logger) : BackgroundService, IHubPublisher
{
    /// <summary>Every device's events topic (PROTOCOL.md §5).</summary>
    public const string EventsFilter = ColdTraceTopic.Prefix + "devices/+/events";

    /// <summary>Every device's verification requests (PROTOCOL.md §5.7).</summary>
    public const string VerifyFilter = ColdTraceTopic.Prefix + "devices/+/verify";

    /// <summary>Every device's status reports (PROTOCOL.md §5.8).</summary>
    public const string StatusFilter = ColdTraceTopic.Prefix + "devices/+/status";

    private IMqttClient? _client;
    private CancellationToken _stopping;

    public event EventHandler? Connected;

    /// <summary>Whether the hub is connected and subscribed now.</summary>
    public bool IsConnected => Volatile.Read(ref _client)?.IsConnected == true;

    /// <summary>The reconnect delay before attempt <paramref name="attempt"/> (0-based): exponential, capped, "equal jitter".</summary>
    internal static TimeSpan Backoff(int attempt, TimeSpan initial, TimeSpan max, double random)
    {
        var ceiling = initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(ceiling, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (capped / 2 * random));
    }

    public async Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var client = Volatile.Read(ref _client);
        if (client is not { IsConnected: true })
        {
            throw new InvalidOperationException("The hub is not connected to the external broker.");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.External.Timeout);
        var result = await client.PublishAsync(message, deadline.Token);
        if (!result.IsSuccess)
        {
            // Mosquitto answers a publish its ACL denies with NotAuthorized (MQTT 5 §3.4.2.1): the hub's user lacks a right.
            throw new InvalidOperationException($"The external broker refused the publish to {message.Topic}: {result.ReasonCode}.");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsExternal)
        {
            return;
        }

        _stopping = stoppingToken;
        var external = options.Value.External;
        var attempt = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            client.DisconnectedAsync += args =>
            {
                lost.TrySetResult(args.ReasonString ?? args.Reason.ToString());
                return Task.CompletedTask;
            };
            client.ApplicationMessageReceivedAsync += OnMessageAsync;
            try
            {
                await ConnectAsync(client, stoppingToken);
                Volatile.Write(ref _client, client);
                attempt = 0;
                LogConnected(external.Host, external.Port);
                Connected?.Invoke(this, EventArgs.Empty);
                var reason = await lost.Task.WaitAsync(stoppingToken);
                LogConnectionLost(external.Host, external.Port, reason);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                await DisconnectAsync(client);
                break;
            }

            // The loop's top: a broker that is down, refuses us or times out surfaces as one of many MQTTnet, socket and
            // TLS exceptions. Every one means "try again later"; devices keep their events until acked.
            catch (Exception exception)
            {
                LogConnectFailed(external.Host, external.Port, exception.Message);
            }
            finally
            {
                Volatile.Write(ref _client, null);
                client.ApplicationMessageReceivedAsync -= OnMessageAsync;
            }

            var delay = Backoff(attempt++, external.BackoffInitial, external.BackoffMax, Random.Shared.NextDouble());
            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ConnectAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        var external = options.Value.External;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(external.Host, external.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(external.ClientId)
            .WithCredentials(external.Username, external.ReadPassword())
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)external.SessionExpiry.TotalSeconds)
            .WithTimeout(external.Timeout);
        if (external.UseTls)
        {
            var tls = new MqttClientTlsOptionsBuilder();
            if (external.CaFile is { Length: > 0 } caFile)
            {
                var chain = new X509Certificate2Collection();
                chain.ImportFromPemFile(caFile);
                tls.WithTrustChain(chain);
            }

            builder.WithTlsOptions(tls.Build());
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(external.Timeout);
        var connected = await client.ConnectAsync(builder.Build(), deadline.Token);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"the broker refused the connection: {connected.ResultCode}");
        }

        // Several instances share the events and verify requests (MQTT 5 §4.8.2: the broker gives each message to one
        // member of the group); every instance takes every status report, retained ones included, for its own status board.
        var share = external.SharedGroup is { Length: > 0 } group ? $"$share/{group}/" : string.Empty;
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(share + EventsFilter, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(share + VerifyFilter, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(StatusFilter, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var granted = await client.SubscribeAsync(subscribe, deadline.Token);
        foreach (var item in granted.Items)
        {
            if (item.ResultCode != MqttClientSubscribeResultCode.GrantedQoS1)
            {
                throw new InvalidOperationException($"the broker refused the subscription to {item.TopicFilter.Topic}: {item.ResultCode}");
            }
        }
    }

    /// <summary>
    /// The PUBACK goes out when this returns, so a message is acknowledged to the broker only once it is in a queue; a
    /// full queue holds the hub's connection back instead of dropping messages.
    /// </summary>
    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var message = args.ApplicationMessage;
        if (!ColdTraceTopic.TryParse(message.Topic, out var topic, out _)
            || topic.Kind is not (TopicKind.DeviceEvents or TopicKind.DeviceVerify or TopicKind.DeviceStatus))
        {
            LogIgnored(message.Topic);
            return;
        }

        var payload = message.Payload.ToArray();
        if (topic.Kind == TopicKind.DeviceStatus)
        {
            statuses.Offer(topic.Device, payload);
            return;
        }

        if (topic.Kind == TopicKind.DeviceVerify)
        {
            await verify.EnqueueAsync(new VerifyRequest(topic.Device, payload, message.CorrelationData), _stopping);
            return;
        }

        LogTaken(topic.Device.Value);
        await ingest.EnqueueAsync(topic.Device, payload, _stopping);
    }

    // A clean DISCONNECT on shutdown; the broker keeps the hub's session for SessionExpiry either way (MQTT 5 §3.14).
    private async Task DisconnectAsync(IMqttClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
        try
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), deadline.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException)
        {
            // Shutting down anyway: the broker notices the closed socket.
            LogConnectionLost(options.Value.External.Host, options.Value.External.Port, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to the external MQTT broker {Host}:{Port}")]
    private partial void LogConnected(string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to the external MQTT broker {Host}:{Port} lost: {Reason}")]
    private partial void LogConnectionLost(string host, int port, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not connect to the external MQTT broker {Host}:{Port}: {Reason}")]
    private partial void LogConnectFailed(string host, int port, string reason);

    // Which instance of a shared subscription took a device's message (docs/OPERATIONS.md "Several hub instances").
    [LoggerMessage(Level = LogLevel.Debug, Message = "Took an events message of device {Device}")]
    private partial void LogTaken(string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message on {Topic} ignored: not a device's events, verify or status topic")]
    private partial void LogIgnored(string topic);
}
