using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Broker;
using SupplyChain.Hub.Ingest;

namespace SupplyChain.Hub.Devices;

/// <summary>
/// The acks the hub sends each device (PROTOCOL.md §5.3), noted on their way to the broker: when the hub last accepted
/// one of its events (the hub's clock, unlike the event times in the log) and its newest rejections — a bad signature,
/// a chain gap — which never reach the log or the alert log. Since the hub started; memory: one record per device that
/// sent anything (the broker admits enrolled devices only), with at most <see cref="KeptRejections"/> rejections.
/// </summary>
internal sealed class DeviceAckLog(HubAckPublisher inner, TimeProvider time) : IAckPublisher
{
    public const int KeptRejections = 5;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Record> _devices = new(StringComparer.Ordinal);

    public Task PublishAckAsync(DeviceId device, AckMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Note(device.Value, message.Acks, time.GetUtcNow());
        return inner.PublishAckAsync(device, message, cancellationToken);
    }

    /// <summary>What the acks to <paramref name="deviceId"/> said since the hub started; null when it sent nothing.</summary>
    public DeviceAcks? Of(string deviceId)
    {
        lock (_gate)
        {
            return _devices.TryGetValue(deviceId, out var record) ? record.Snapshot() : null;
        }
    }

    internal void Note(string deviceId, IReadOnlyList<EventAck> acks, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_devices.TryGetValue(deviceId, out var record))
            {
                record = new Record();
                _devices[deviceId] = record;
            }

            foreach (var ack in acks)
            {
                if (ack.Status == AckStatus.Accepted)
                {
                    record.Accepted++;
                    record.LastAccepted = now;
                }
                else
                {
                    record.Rejected++;
                    record.Add(new AckRejection(now, ack.Reason ?? "rejected", ack.Detail, ack.EventId));
                }
            }
        }
    }

    private sealed class Record
    {
        private readonly Queue<AckRejection> _rejections = new();

        public long Accepted { get; set; }

        public long Rejected { get; set; }

        public DateTimeOffset? LastAccepted { get; set; }

        public void Add(AckRejection rejection)
        {
            _rejections.Enqueue(rejection);
            while (_rejections.Count > KeptRejections)
            {
                _rejections.Dequeue();
            }
        }

        public DeviceAcks Snapshot() => new(Accepted, Rejected, LastAccepted, [.. _rejections.Reverse()]);
    }
}

/// <summary>Acks to one device since the hub started: how many accepted and rejected, the last acceptance, the newest rejections first.</summary>
internal sealed record DeviceAcks(long Accepted, long Rejected, DateTimeOffset? LastAccepted, IReadOnlyList<AckRejection> Rejections);

/// <summary>A rejected event (PROTOCOL.md §5.4 reasons, e.g. <c>bad_signature</c>, <c>chain_gap</c>), at the hub's time.</summary>
internal sealed record AckRejection(DateTimeOffset Time, string Reason, string? Detail, string? EventId);
