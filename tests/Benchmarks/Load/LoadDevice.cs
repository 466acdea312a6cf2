using System.Buffers;
using System.Diagnostics;
using MQTTnet;
using MQTTnet.Protocol;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Benchmarks.Load;

/// <summary>
/// One simulated manufacturing station: its own Ed25519 key and MQTT password, a hash chain of signed commissioning
/// events (one new pack each, PROTOCOL.md §5.5 seq/prev), a real MQTTnet connection to the hub's broker, and what
/// happened to every event it sent: when it was scanned, when its ack came, how many acks came and the log index.
/// </summary>
internal sealed class LoadDevice : IAsyncDisposable
{
    public const string Site = "9506000134383";
    private const string SiteUri = "https://id.gs1.org/414/" + Site;
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private readonly DeviceSigner _signer = DeviceSigner.Create();
    private readonly Dictionary<string, int> _seqOfId = new(StringComparer.Ordinal);
    private byte[][] _messages = [];
    private long[] _scannedAt = [];
    private long[] _ackedAt = [];
    private long[] _index = [];
    private int[] _acks = [];
    private IMqttClient? _client;
    private SemaphoreSlim? _window;
    private int _envelopes = 1;

    public LoadDevice(int number) => Id = $"load-{number:D5}";

    public string Id { get; }

    public string Password { get; } = DevicePassword.Generate();

    /// <summary>Events signed and ready to send.</summary>
    public int Signed => _messages.Length;

    /// <summary>Events published (each one MQTT message, QoS 1).</summary>
    public int Sent { get; private set; }

    public int Rejected { get; private set; }

    /// <summary>Offered load only: events due before the end of the run (sent or not).</summary>
    public int Due { get; private set; }

    /// <summary>Acks naming an event this device never sent, or an event already acknowledged.</summary>
    public int Unexpected { get; private set; }

    /// <summary>Acks saying the event was already in the log, which never happens when each event is sent once.</summary>
    public int DuplicateFlags { get; private set; }

    public List<string> RejectReasons { get; } = [];

    public int EnvelopeBytes { get; private set; }

    /// <summary>MQTT messages published (each carries one or more events).</summary>
    public int Messages { get; private set; }

    public EnrolRequest Enrolment() =>
        new(Id, Convert.ToBase64String(_signer.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey)), Site, "manufacturer", Password, "coldtrace-bench");

    /// <summary>Signs the device's next <paramref name="count"/> events as a chain from seq 0.</summary>
    public void Sign(int count)
    {
        _messages = new byte[count][];
        _scannedAt = new long[count];
        _ackedAt = new long[count];
        _index = new long[count];
        _acks = new int[count];
        var prev = EventId.None;
        for (var seq = 0; seq < count; seq++)
        {
            var stamp = new DeviceStamp(Id, seq, prev, "boot-1", ClockSynced: true);
            var pack = $"https://id.gs1.org/01/09506000134352/21/{Id}-{seq}";
            var custodyEvent = CustodyEvents.Commission(T0.AddMilliseconds(seq), stamp, SiteUri, [pack], "LOAD1", new DateOnly(2030, 1, 31));
            var envelope = _signer.Sign(EventCodec.Encode(custodyEvent), EventVocabulary.PayloadType);
            _messages[seq] = EventMessage.Encode(envelope);
            _seqOfId.Add(envelope.EventId.ToString(), seq);
            _index[seq] = -1;
            prev = envelope.EventId;
        }

        EnvelopeBytes = _messages.Length > 0 ? _messages[0].Length : 0;
    }

    /// <summary>Connects and subscribes to the device's acks, and to the checkpoint topic when <paramref name="checkpoints"/> is given.</summary>
    public async Task ConnectAsync(string host, int port, int window, int envelopes, CheckpointLog? checkpoints, CancellationToken cancellationToken)
    {
        _window = new SemaphoreSlim(window);
        _envelopes = envelopes;
        var client = new MqttClientFactory().CreateMqttClient();
        var acksTopic = ColdTraceTopic.DeviceAcks(DeviceIdOf(Id));
        client.ApplicationMessageReceivedAsync += args =>
        {
            var now = Stopwatch.GetTimestamp();
            var message = args.ApplicationMessage;
            if (message.Topic == acksTopic)
            {
                OnAcks(message.Payload.ToArray(), now);
            }
            else if (message.Topic == ColdTraceTopic.CheckpointTopic)
            {
                checkpoints?.Add(System.Text.Encoding.UTF8.GetString(message.Payload.ToArray()), now);
            }

            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(Id)
            .WithCredentials(Id, Password)
            .WithTimeout(TimeSpan.FromSeconds(30))
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
            .Build();
        var connected = await client.ConnectAsync(options, cancellationToken);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"{Id}: CONNECT refused ({connected.ResultCode})");
        }

        var subscribe = new MqttClientSubscribeOptionsBuilder().WithTopicFilter(acksTopic, MqttQualityOfServiceLevel.AtLeastOnce);
        if (checkpoints is not null)
        {
            subscribe.WithTopicFilter(ColdTraceTopic.CheckpointTopic, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        var subscribed = await client.SubscribeAsync(subscribe.Build(), cancellationToken);
        if (subscribed.Items.Any(item => item.ResultCode != MqttClientSubscribeResultCode.GrantedQoS1))
        {
            throw new InvalidOperationException($"{Id}: SUBSCRIBE refused");
        }

        _client = client;
    }

    /// <summary>
    /// Offered load: event k is scanned at <paramref name="start"/> + <paramref name="offset"/> + k·<paramref name="period"/>
    /// and published then. Its scan time is the schedule, not the moment it left, so a hub that slows the sender down
    /// shows as latency instead of as fewer samples (no coordinated omission); events due before <paramref name="end"/>
    /// that could not be sent by then are counted (<see cref="Due"/> − <see cref="Sent"/>), not sent late.
    /// </summary>
    public async Task SendAtRateAsync(long start, TimeSpan offset, TimeSpan period, long end, CancellationToken cancellationToken)
    {
        long DueAt(int seq) => start + (long)((offset + (period * seq)).TotalSeconds * Stopwatch.Frequency);
        var due = 0;
        while (due < _messages.Length && DueAt(due) < end)
        {
            due++;
        }

        Due = due;
        for (var seq = 0; seq < due && Stopwatch.GetTimestamp() < end;)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), DueAt(seq));
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            // Like the agent's delivery: every event already scanned and not yet sent goes in one message, up to the limit.
            var now = Stopwatch.GetTimestamp();
            var count = 0;
            do
            {
                _scannedAt[seq + count] = DueAt(seq + count);
                count++;
            }
            while (count < _envelopes && seq + count < due && DueAt(seq + count) <= now);

            await PublishAsync(seq, count, cancellationToken);
            seq += count;
        }
    }

    /// <summary>
    /// Flat out: sends whenever fewer than the window's events are unacknowledged; the scan is the moment of sending. With
    /// more than one envelope per message, as many events as the window has room for (up to the limit) go in one message,
    /// as the agent's delivery joins the events waiting in its outbox.
    /// </summary>
    public async Task SendFlatOutAsync(long end, CancellationToken cancellationToken)
    {
        for (var seq = 0; seq < _messages.Length;)
        {
            await _window!.WaitAsync(cancellationToken);
            var count = 1;
            while (count < _envelopes && seq + count < _messages.Length && _window.Wait(0, CancellationToken.None))
            {
                count++;
            }

            var now = Stopwatch.GetTimestamp();
            if (now >= end)
            {
                return;
            }

            for (var k = 0; k < count; k++)
            {
                _scannedAt[seq + k] = now;
            }

            await PublishAsync(seq, count, cancellationToken);
            seq += count;
        }
    }

    /// <summary>Events sent and not yet acknowledged.</summary>
    public int Unacknowledged()
    {
        lock (_seqOfId)
        {
            var missing = 0;
            for (var seq = 0; seq < Sent; seq++)
            {
                missing += _acks[seq] == 0 ? 1 : 0;
            }

            return missing;
        }
    }

    /// <summary>Every sent event: when it was scanned and acked (0 if never) and its log index (−1 if none), in seq order.</summary>
    public IEnumerable<SentEvent> Events()
    {
        lock (_seqOfId)
        {
            return [.. Enumerable.Range(0, Sent).Select(seq => new SentEvent(seq, _scannedAt[seq], _ackedAt[seq], _index[seq], _acks[seq]))];
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is { } client)
        {
            if (client.IsConnected)
            {
                try
                {
                    await client.DisconnectAsync();
                }
                catch (MQTTnet.Exceptions.MqttCommunicationException)
                {
                    // The hub this run started is already gone.
                }
            }

            client.Dispose();
        }

        _window?.Dispose();
        _signer.Dispose();
    }

    private async Task PublishAsync(int seq, int count, CancellationToken cancellationToken)
    {
        var payload = count == 1
            ? _messages[seq]
            : EventMessage.JoinBatch([.. Enumerable.Range(seq, count).Select(k => (ReadOnlyMemory<byte>)_messages[k])]);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(ColdTraceTopic.DeviceEvents(DeviceIdOf(Id)))
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        lock (_seqOfId)
        {
            Sent = seq + count;
            Messages++;
        }

        var result = await _client!.PublishAsync(message, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"{Id}: PUBLISH of seq {seq}..{seq + count - 1} refused ({result.ReasonCode})");
        }
    }

    private void OnAcks(byte[] payload, long now)
    {
        if (!AckMessage.TryDecode(payload, out var message))
        {
            lock (_seqOfId)
            {
                Unexpected++;
            }

            return;
        }

        var released = 0;
        lock (_seqOfId)
        {
            foreach (var ack in message!.Acks)
            {
                if (ack.EventId is null || !_seqOfId.TryGetValue(ack.EventId, out var seq) || seq >= Sent || _acks[seq]++ > 0)
                {
                    Unexpected++;
                    continue;
                }

                released++;
                _ackedAt[seq] = now;
                if (ack.Status != AckStatus.Accepted || ack.Index is null)
                {
                    Rejected++;
                    RejectReasons.Add($"{ack.Reason} {ack.Detail}");
                    continue;
                }

                DuplicateFlags += ack.Duplicate == true ? 1 : 0;
                _index[seq] = ack.Index.Value;
            }
        }

        if (released > 0)
        {
            _window!.Release(released);
        }
    }

    private static DeviceId DeviceIdOf(string id) =>
        DeviceId.TryParse(id, out var parsed, out var reason) ? parsed : throw new ArgumentException(reason.ToString(), nameof(id));
}

/// <summary>What happened to one sent event (timestamps are <see cref="Stopwatch"/> ticks; 0 = never).</summary>
internal readonly record struct SentEvent(int Seq, long ScannedAt, long AckedAt, long Index, int Acks);

/// <summary>Signed checkpoints as they arrived on <c>coldtrace/v1/checkpoint</c>, verified with the hub's key.</summary>
internal sealed class CheckpointLog(NoteVerifier verifier)
{
    private readonly List<(long Size, long At)> _arrivals = [];

    public int Invalid { get; private set; }

    public void Add(string note, long at)
    {
        var opened = SignedNote.Open(note, [verifier]);
        lock (_arrivals)
        {
            if (!opened.IsVerified || !Checkpoint.TryParse(opened.Text, out var checkpoint, out _))
            {
                Invalid++;
                return;
            }

            _arrivals.Add((checkpoint.Size, at));
        }
    }

    /// <summary>The largest checkpoint size seen so far.</summary>
    public long LargestSize()
    {
        lock (_arrivals)
        {
            return _arrivals.Count == 0 ? 0 : _arrivals.Max(a => a.Size);
        }
    }

    /// <summary>When the first checkpoint that covers log <paramref name="index"/> (size &gt; index) arrived, or null.</summary>
    public long? CoveredAt(long index)
    {
        lock (_arrivals)
        {
            foreach (var (size, at) in _arrivals)
            {
                if (size > index)
                {
                    return at;
                }
            }

            return null;
        }
    }
}
