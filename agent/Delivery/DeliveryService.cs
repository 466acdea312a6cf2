using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using SupplyChain.Agent.Outbox;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Agent.Delivery;

/// <summary>
/// Publishes the outbox to the hub over MQTT 5 (DESIGN.md §4–5, PROTOCOL.md §5) and removes an event only when the
/// hub's ack for its id arrives: a PUBACK says the broker has the message, not that the hub logged the event.
/// <para>
/// One connection at a time with client id = user name = device id and a persistent session, so acks the hub sends
/// while the station is away wait at the broker. Events go out in seq order (the outbox puts custody ahead of the
/// sensor backlog) in batches of at most <see cref="DeliveryOptions.MaxEnvelopesPerMessage"/>, each publish awaited
/// before the next, with at most <see cref="DeliveryOptions.MaxInFlightMessages"/> messages unanswered. A resend is
/// go-back-N: when any message's ack is overdue, or the hub asks for a resend (<c>chain_gap</c>, <c>hub_unavailable</c>),
/// the window is dropped and every unacknowledged event is sent again from the lowest seq, so the hub never sees
/// seq n+1 before n. The hub deduplicates, answering a resent event with its existing index.
/// </para>
/// <para>
/// Every deadline (ack, resend pause, status report, outage length) is a monotonic timestamp
/// (<see cref="TimeProvider.GetTimestamp"/>), never wall time: a Pi without an RTC steps its wall clock by months at NTP
/// sync, and a step must neither resend the whole window at once nor hold an unanswered message until the clock catches up.
/// </para>
/// <para>
/// With a status reader it also publishes the station's status report (PROTOCOL.md §5.8), retained, on each connect and
/// every <see cref="DeliveryOptions.StatusInterval"/>.
/// </para>
/// </summary>
internal sealed partial class DeliveryService : BackgroundService
{
    private readonly EventOutbox _outbox;
    private readonly DeliveryOptions _options;
    private readonly DeviceId _device;
    private readonly DeliveryState _state;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger<DeliveryService> _logger;
    private readonly IReadOnlyList<IDeliverySubscription> _subscriptions;
    private readonly Func<StationStatus>? _readStatus;
    private readonly System.Collections.Concurrent.ConcurrentQueue<IReadOnlyList<EventAck>> _received = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // Messages published and not fully answered, oldest first. Touched by the loop and by the ack handler.
    private readonly Lock _gate = new();
    private readonly List<InFlight> _window = [];
    private long? _resendAt;

    // Touched by the delivery loop only: when the next status report is due, and whether a refused one was logged.
    private long _statusDue = long.MaxValue;
    private bool _statusRefusedLogged;

    // Set at the run's first successful connection: until then an outage is judged by the waiting events' age.
    private bool _connectedThisRun;

    public DeliveryService(
        EventOutbox outbox,
        IOptions<DeliveryOptions> options,
        DeviceId device,
        DeliveryState state,
        TimeProvider time,
        Random random,
        ILogger<DeliveryService> logger,
        IEnumerable<IDeliverySubscription>? subscriptions = null,
        Func<StationStatus>? readStatus = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _outbox = outbox;
        _options = options.Value;
        _device = device;
        _state = state;
        _time = time;
        _random = random;
        _logger = logger;
        _subscriptions = [.. subscriptions ?? []];
        _readStatus = readStatus;
    }

    /// <summary>The reconnect delay before attempt <paramref name="attempt"/> (0-based): exponential, capped, "equal jitter".</summary>
    internal static TimeSpan Backoff(int attempt, TimeSpan initial, TimeSpan max, double random)
    {
        var ceiling = initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(ceiling, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (capped / 2 * random));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.IsEnabled)
        {
            LogDisabled(_logger);
            return;
        }

        var attempt = 0;
        long? downSince = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            try
            {
                client.DisconnectedAsync += _ => Wake();
                client.ApplicationMessageReceivedAsync += OnMessageAsync;
                await ConnectAsync(client, stoppingToken);
                var drain = IsLongOutage(downSince);
                attempt = 0;
                downSince = null;
                _state.Connected(_time.GetUtcNow(), drain);
                LogConnected(_logger, _options.Host, _options.Port, drain);
                await RunSessionAsync(client, drain, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                await DisconnectAsync(client);
                break;
            }

            // The loop's top: a broker that is down, refuses us, drops the connection or times out surfaces as one of
            // many MQTTnet, socket and TLS exceptions. Every one means "reconnect later"; the outbox still holds the events.
            catch (Exception exception)
            {
                LogConnectionLost(_logger, _options.Host, _options.Port, exception.Message);
                _state.Disconnected(_time.GetUtcNow(), exception.Message);
            }
            finally
            {
                client.ApplicationMessageReceivedAsync -= OnMessageAsync;
                lock (_gate)
                {
                    _state.WillResend(_window.Sum(m => m.Entries.Count));
                    _window.Clear();
                    _resendAt = null;
                }
            }

            downSince ??= _time.GetTimestamp();
            var delay = Backoff(attempt++, _options.BackoffInitial, _options.BackoffMax, _random.NextDouble());
            await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private bool IsLongOutage(long? downSince)
    {
        if (downSince is { } since && _time.GetElapsedTime(since) >= _options.DrainAfter)
        {
            return true;
        }

        if (_connectedThisRun)
        {
            return false;
        }

        // First connection of this run, whether or not earlier attempts failed: the agent itself may have been off (a
        // restart during an outage), and only wall time spans a restart; judge by the oldest waiting event.
        _connectedThisRun = true;
        return _outbox.ReadStatus().OldestUnackedAge(_time.GetUtcNow()) >= _options.DrainAfter;
    }

    private async Task ConnectAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(_device.Value)
            .WithCredentials(_device.Value, _options.ReadPassword())
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)_options.SessionExpiry.TotalSeconds)
            .WithKeepAlivePeriod(_options.KeepAlive)
            .WithTimeout(_options.PublishTimeout);
        if (_options.UseTls)
        {
            var tls = new MqttClientTlsOptionsBuilder();
            if (_options.CaFile is { Length: > 0 } caFile)
            {
                var chain = new X509Certificate2Collection();
                chain.ImportFromPemFile(caFile);
                tls.WithTrustChain(chain);
            }

            builder.WithTlsOptions(tls.Build());
        }

        using var deadline = Deadline(cancellationToken);
        var connected = await client.ConnectAsync(builder.Build(), deadline.Token);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"broker refused the connection: {connected.ResultCode}");
        }

        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(ColdTraceTopic.DeviceAcks(_device), MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var granted = await client.SubscribeAsync(subscribe, deadline.Token);
        var code = granted.Items.Single().ResultCode;
        if (code != MqttClientSubscribeResultCode.GrantedQoS1)
        {
            throw new InvalidOperationException($"broker refused the ack subscription: {code}");
        }

        foreach (var subscription in _subscriptions)
        {
            var extra = await client.SubscribeAsync(
                new MqttClientSubscribeOptionsBuilder().WithTopicFilter(subscription.Topic, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                deadline.Token);
            var extraCode = extra.Items.Single().ResultCode;
            if (extraCode is not (MqttClientSubscribeResultCode.GrantedQoS0 or MqttClientSubscribeResultCode.GrantedQoS1))
            {
                LogSubscriptionRefused(_logger, subscription.Topic, extraCode.ToString());
            }
        }
    }

    // A clean DISCONNECT on shutdown; the broker keeps the session for SessionExpiry either way (MQTT 5 §3.14).
    private async Task DisconnectAsync(IMqttClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(_options.PublishTimeout, _time);
        try
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), deadline.Token);
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            LogConnectionLost(_logger, _options.Host, _options.Port, exception.Message);
        }
    }

    private async Task RunSessionAsync(IMqttClient client, bool drain, CancellationToken cancellationToken)
    {
        // The drain pace as a schedule: message k of the drain goes out no earlier than k intervals after the first. A
        // fixed pause after every publish added the publish's own time and the timer's granularity (a millisecond or
        // more) to each message, which capped a raised pace far below the one set.
        var interval = (long)(_time.TimestampFrequency / _options.DrainMessagesPerSecond);
        var nextSend = _time.GetTimestamp();
        _statusDue = _readStatus is null ? long.MaxValue : long.MinValue;
        while (client.IsConnected)
        {
            ApplyReceived();
            if (_time.GetTimestamp() >= _statusDue)
            {
                await PublishStatusAsync(client, cancellationToken);
            }

            var batches = NextBatches();
            if (drain && batches.Count == 0 && WindowCount() == 0)
            {
                drain = false;
                _state.Drained();
                LogDrained(_logger);
            }

            foreach (var batch in batches)
            {
                if (drain)
                {
                    var now = _time.GetTimestamp();
                    if (nextSend > now)
                    {
                        await Task.Delay(_time.GetElapsedTime(now, nextSend), _time, cancellationToken);
                    }

                    nextSend = Math.Max(nextSend, now) + interval;
                }

                await PublishAsync(client, batch, cancellationToken);
            }

            if (batches.Count == 0)
            {
                await WaitAsync(cancellationToken);
            }
        }

        throw new InvalidOperationException("connection closed");
    }

    /// <summary>The next messages to publish, in seq order; the window is rewound first when a resend is due.</summary>
    private List<InFlight> NextBatches()
    {
        var now = _time.GetTimestamp();
        long highest;
        int free;
        lock (_gate)
        {
            if (_window.Count > 0 && (_window.Exists(m => m.Deadline <= now) || _resendAt <= now))
            {
                LogResending(_logger, _window[0].FirstSeq, _window.Count);
                _state.WillResend(_window.Sum(m => m.Entries.Count));
                _window.Clear();
            }

            if (_window.Count == 0)
            {
                _resendAt = null;
            }

            free = _options.MaxInFlightMessages - _window.Count;
            highest = _window.Count == 0 ? -1 : _window[^1].LastSeq;
        }

        if (free <= 0 || !HasUnsent(highest))
        {
            return [];
        }

        // Only what lies beyond the window: the outbox reads (and counts as attempted) just the events about to go out.
        var entries = _outbox.TakePending(free * _options.MaxEnvelopesPerMessage, OutboxKinds.All, highest);
        var batches = new List<InFlight>();
        var current = new List<OutboxEntry>();
        var bytes = 2;
        foreach (var entry in entries.Where(e => e.Seq > highest))
        {
            // A new chain's first event (PROTOCOL.md §5.5 restart) goes out only when every earlier event is answered:
            // should the hub see it first, it would move the head past them and refuse them as forks.
            if (entry.StartsChain && (highest >= 0 || batches.Count > 0 || current.Count > 0))
            {
                break;
            }

            if (current.Count == _options.MaxEnvelopesPerMessage || bytes + entry.Envelope.Length + 1 > EventMessage.MaxMessageBytes)
            {
                batches.Add(new InFlight(current));
                if (batches.Count == free)
                {
                    return batches;
                }

                current = [];
                bytes = 2;
            }

            current.Add(entry);
            bytes += entry.Envelope.Length + 1;
        }

        if (current.Count > 0)
        {
            batches.Add(new InFlight(current));
        }

        return batches;
    }

    // Asking the outbox for pending events bumps their attempt counts, so first check cheaply that something lies
    // beyond the window: a chained event above its highest seq, or a sensor report not yet chained.
    private bool HasUnsent(long highest)
    {
        var status = _outbox.ReadStatus();
        return highest < 0
            ? status.PendingCustody + status.SensorBacklog > 0
            : status.NextSeq - 1 > highest || status.QueuedSensor > 0;
    }

    private async Task PublishAsync(IMqttClient client, InFlight batch, CancellationToken cancellationToken)
    {
        var envelopes = new List<ReadOnlyMemory<byte>>(batch.Entries.Count);
        foreach (var entry in batch.Entries)
        {
            // The outbox's own encoding is an envelope by construction; bytes read as an older store kept them are checked
            // (if they no longer decode the file is damaged, which the hub would reject too). The message joins the
            // encoded envelopes as they are: decoding and encoding each again cost the drain CPU for the same bytes.
            if (!entry.EncodedByOutbox && !EnvelopeCodec.TryDecode(entry.Envelope.Span, out _, out var error))
            {
                throw new InvalidDataException($"outbox entry seq {entry.Seq} does not decode: {error}");
            }

            envelopes.Add(entry.Envelope);
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(ColdTraceTopic.DeviceEvents(_device))
            .WithPayload(EventMessage.JoinBatch(envelopes))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();

        // In the window before the publish: the hub's ack can arrive before PublishAsync returns. The ack deadline runs
        // from the PUBACK; until then the publish deadline guards it.
        lock (_gate)
        {
            _window.Add(batch);
        }

        using var deadline = Deadline(cancellationToken);
        var result = await client.PublishAsync(message, deadline.Token);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"broker refused the events message: {result.ReasonCode} {result.ReasonString}");
        }

        lock (_gate)
        {
            batch.Deadline = Later(_options.AckTimeout);
        }

        LogPublished(_logger, batch.FirstSeq, batch.LastSeq, batch.Entries.Count);
    }

    // Retained, so a hub (or an external broker's new subscriber) sees the latest report at once. A broker that refuses
    // it (a hub older than the status topic) is logged once and does not stop delivery; a timeout does, like any publish.
    private async Task PublishStatusAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        _statusDue = Later(_options.StatusInterval);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(ColdTraceTopic.DeviceStatus(_device))
            .WithPayload(StationStatus.Encode(_readStatus!()))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build();
        using var deadline = Deadline(cancellationToken);
        var result = await client.PublishAsync(message, deadline.Token);
        if (!result.IsSuccess && !_statusRefusedLogged)
        {
            _statusRefusedLogged = true;
            LogStatusRefused(_logger, result.ReasonCode.ToString());
        }
    }

    private async Task WaitAsync(CancellationToken cancellationToken)
    {
        var wait = _options.PollInterval;
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            foreach (var due in _window.Select(m => m.Deadline).Append(_resendAt ?? long.MaxValue).Append(_statusDue))
            {
                if (due < now)
                {
                    return;
                }

                if (due - now < (long)(wait.TotalSeconds * _time.TimestampFrequency))
                {
                    wait = _time.GetElapsedTime(now, due);
                }
            }
        }

        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new CancellationTokenSource(wait, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        await ((Task)_wake.Reader.WaitToReadAsync(timeout.Token).AsTask()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _wake.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }

    // Every CONNECT, SUBSCRIBE and PUBLISH has a deadline (DESIGN.md §5): a broker that stops answering is left, not waited on.
    private CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.PublishTimeout);
        return deadline;
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        if (args.ApplicationMessage.Topic != ColdTraceTopic.DeviceAcks(_device))
        {
            foreach (var subscription in _subscriptions)
            {
                if (string.Equals(subscription.Topic, args.ApplicationMessage.Topic, StringComparison.Ordinal))
                {
                    subscription.OnMessage(args.ApplicationMessage.Payload.ToArray());
                }
            }

            return Task.CompletedTask;
        }

        if (!AckMessage.TryDecode(args.ApplicationMessage.Payload.ToArray(), out var message))
        {
            LogBadAck(_logger);
            return Task.CompletedTask;
        }

        // Applied by the delivery loop, all that arrived since its last turn together: under load many ack messages
        // share one outbox transaction (one fsync) instead of each taking its own.
        _received.Enqueue(message!.Acks);
        return Wake();
    }

    private void ApplyReceived()
    {
        var acks = new List<EventAck>();
        while (_received.TryDequeue(out var message))
        {
            acks.AddRange(message);
        }

        if (acks.Count > 0)
        {
            Apply(acks);
        }
    }

    // Acks in arrival order; the acceptances are one outbox transaction and the rejections another, so a chain restart
    // after a rejection (EventOutbox.MarkRejected) happens once per turn, not once per event.
    private void Apply(IReadOnlyList<EventAck> acks)
    {
        var accepted = new List<(Acknowledgement Ack, EventAck Answer)>();
        var rejected = new List<Rejection>();
        foreach (var ack in acks)
        {
            if (!EventId.TryParse(ack.EventId, out var id, out _))
            {
                // A message-level rejection (too large, not JSON): its events stay in flight and are resent at the deadline.
                LogUnattributedAck(_logger, ack.Status.ToString(), ack.Reason ?? string.Empty, ack.Detail ?? string.Empty);
            }
            else if (ack.Status == AckStatus.Accepted && ack.Index is { } index)
            {
                accepted.Add((new Acknowledgement(id, index), ack));
            }
            else if (ack.Reason is RejectReason.ChainGap or RejectReason.HubUnavailable)
            {
                RequestResend(id, ack.Reason);
            }
            else
            {
                rejected.Add(new Rejection(id, ack.Reason ?? "unspecified"));
            }
        }

        if (accepted.Count > 0)
        {
            var now = _time.GetUtcNow();
            var reds = new Dictionary<EventId, EventAck>();
            foreach (var (ack, answer) in accepted)
            {
                if (answer.Verdict == EventAck.VerdictRed)
                {
                    reds.TryAdd(ack.EventId, answer);
                }
            }

            foreach (var ack in _outbox.MarkAcked([.. accepted.Select(a => a.Ack)]))
            {
                _state.Acked(now, ack.LogIndex);
                if (reds.TryGetValue(ack.EventId, out var red))
                {
                    // Logged as fact but against a rule (e.g. received at the wrong site): the hub raised an alert.
                    LogRedVerdict(_logger, ack.EventId, ack.LogIndex, red.Detail ?? string.Empty);
                }
            }

            foreach (var (ack, _) in accepted)
            {
                Answered(ack.EventId);
            }
        }

        if (rejected.Count > 0)
        {
            var result = _outbox.MarkRejected(rejected);
            for (var i = 0; i < result.Rejected; i++)
            {
                _state.Rejected();
            }

            foreach (var rejection in rejected)
            {
                Answered(rejection.EventId);
            }

            if (result.Moved > 0)
            {
                // The waiting events were re-signed onto a new chain: the copies in flight are void. Rewind now, so the
                // new chain goes out (from its first event, once everything before it is answered) without waiting for
                // the old copies' deadline.
                lock (_gate)
                {
                    _resendAt = _time.GetTimestamp();
                }
            }
        }
    }

    // PROTOCOL.md §5: the hub could not take it now; it stays pending and the window is resent after a pause. An answer
    // for an event no longer in flight (re-signed since, or already resent after a rewind) changes nothing.
    private void RequestResend(EventId id, string reason)
    {
        lock (_gate)
        {
            if (!_window.Exists(m => m.Waiting.Contains(id)))
            {
                return;
            }

            LogResendRequested(_logger, id, reason);
            _resendAt ??= Later(_options.BackoffInitial);
        }
    }

    private void Answered(EventId id)
    {
        lock (_gate)
        {
            foreach (var message in _window)
            {
                if (message.Waiting.Remove(id))
                {
                    break;
                }
            }

            // Fully answered messages leave the window from the front, so the window stays a run of seqs.
            while (_window.Count > 0 && _window[0].Waiting.Count == 0)
            {
                _window.RemoveAt(0);
            }
        }
    }

    // The monotonic timestamp a delay from now.
    private long Later(TimeSpan delay) => _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);

    private int WindowCount()
    {
        lock (_gate)
        {
            return _window.Count;
        }
    }

    private Task Wake()
    {
        _wake.Writer.TryWrite(true);
        return Task.CompletedTask;
    }

    /// <summary>One published events message: its entries, the ids not yet answered, and when it is overdue.</summary>
    private sealed class InFlight(List<OutboxEntry> entries)
    {
        public List<OutboxEntry> Entries { get; } = entries;

        public HashSet<EventId> Waiting { get; } = [.. entries.Select(e => e.EventId)];

        public long FirstSeq => Entries[0].Seq;

        public long LastSeq => Entries[^1].Seq;

        /// <summary>A <see cref="TimeProvider.GetTimestamp"/> value; none until the broker's PUBACK.</summary>
        public long Deadline { get; set; } = long.MaxValue;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery:Host is not set: events stay in the outbox and are not sent to a hub")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to broker {Host}:{Port} (paced drain: {Drain})")]
    private static partial void LogConnected(ILogger logger, string host, int port, bool drain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker {Host}:{Port} unreachable or connection lost: {Reason}; events stay in the outbox")]
    private static partial void LogConnectionLost(ILogger logger, string host, int port, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backlog drained; publishing at full rate")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Published seq {First}..{Last} ({Count} events)")]
    private static partial void LogPublished(ILogger logger, long first, long last, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resending from seq {Seq}: {Messages} message(s) unanswered by the deadline or the hub asked for a resend")]
    private static partial void LogResending(ILogger logger, long seq, int messages);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hub asked for event {EventId} again later ({Reason})")]
    private static partial void LogResendRequested(ILogger logger, EventId eventId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub logged event {EventId} at index {Index} with a red verdict: {Reasons}")]
    private static partial void LogRedVerdict(ILogger logger, EventId eventId, long index, string reasons);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ack message on the ack topic is not valid JSON; ignored")]
    private static partial void LogBadAck(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub answer without an event id ({Status} {Reason} {Detail}); the events are resent at their deadline")]
    private static partial void LogUnattributedAck(ILogger logger, string status, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker refused the status report ({Code}); events are still delivered, the hub shows no backlog for this station")]
    private static partial void LogStatusRefused(ILogger logger, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker refused the subscription to {Topic} ({Code}); events are still delivered")]
    private static partial void LogSubscriptionRefused(ILogger logger, string topic, string code);
}
