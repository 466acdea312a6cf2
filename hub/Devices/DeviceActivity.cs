using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Verification;

namespace SupplyChain.Hub.Devices;

/// <summary>
/// What each device has put in the log (the devices page, <c>GET /v1/devices/activity</c>): how many events, the newest
/// one's index, time and <c>ct:seq</c>, and its recent faults — red verdicts (the alert log's <c>red</c> findings) and
/// the alarms its sensors raised. Fed by <see cref="CustodyState"/> in log order, replay included, so it covers the whole
/// log. Memory: one record per device id seen, each with at most <see cref="KeptFaults"/> faults.
/// </summary>
internal sealed class DeviceActivity : ICustodyObserver
{
    /// <summary>Newest faults kept per device.</summary>
    public const int KeptFaults = 5;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Record> _devices = new(StringComparer.Ordinal);

    public void Applied(long index, ChainFact fact, RuleOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (fact is not DeviceEventFact { Event: var e })
        {
            return;
        }

        lock (_gate)
        {
            if (!_devices.TryGetValue(e.Device.DeviceId, out var record))
            {
                record = new Record();
                _devices[e.Device.DeviceId] = record;
            }

            record.Events++;
            if (record.Last is not { } last || index > last.Index)
            {
                record.Last = new LastEvent(index, e.EventTime, e.Device.Seq, e.Device.ClockSynced, e.Kind);
            }

            if (!outcome.IsGreen)
            {
                record.Red++;
                var reasons = string.Join(", ", outcome.Findings.Select(f => VerificationResponse.Code(f.Reason)).Distinct(StringComparer.Ordinal));
                record.Add(new DeviceFault(index, e.EventTime, "red", reasons));
            }
            else if (e.Kind == CustodyEventKind.SensorAlarm)
            {
                record.Alarms++;
                record.Add(new DeviceFault(index, e.EventTime, "alarm", AlarmText(e)));
            }
        }
    }

    /// <summary>The activity of one device; null when none of its events is in the log.</summary>
    public DeviceActivitySnapshot? Of(string deviceId)
    {
        lock (_gate)
        {
            return _devices.TryGetValue(deviceId, out var record) ? record.Snapshot() : null;
        }
    }

    private static string AlarmText(CustodyEvent e)
    {
        var report = (e.Event.SensorElementList ?? []).SelectMany(element => element.SensorReport ?? []).FirstOrDefault(r => r.Value is not null);
        return report is { Value: { } celsius, LowerLimit: { } lower, UpperLimit: { } upper }
            ? $"{celsius} °C outside {lower}–{upper} °C at {(e.Epcs.Count > 0 ? e.Epcs[0] : "?")}"
            : "sensor alarm";
    }

    private sealed class Record
    {
        private readonly Queue<DeviceFault> _faults = new();

        public long Events { get; set; }

        public long Red { get; set; }

        public long Alarms { get; set; }

        public LastEvent? Last { get; set; }

        public void Add(DeviceFault fault)
        {
            _faults.Enqueue(fault);
            while (_faults.Count > KeptFaults)
            {
                _faults.Dequeue();
            }
        }

        public DeviceActivitySnapshot Snapshot() => new(Events, Red, Alarms, Last, [.. _faults.Reverse()]);
    }
}

/// <summary>A device's newest event in the log: its index, its own time (device clock, <paramref name="ClockSynced"/> says whether synchronised), its <c>ct:seq</c>.</summary>
internal readonly record struct LastEvent(long Index, DateTimeOffset Time, long Seq, bool ClockSynced, CustodyEventKind Kind);

/// <summary>A red verdict on a device's event, or an alarm its sensor raised.</summary>
/// <param name="Index">The log entry.</param>
/// <param name="Time">The event's time.</param>
/// <param name="Kind"><c>red</c> or <c>alarm</c>.</param>
/// <param name="Detail">The red reasons (snake_case, PROTOCOL.md §6.7), or the alarm's reading and limits.</param>
internal sealed record DeviceFault(long Index, DateTimeOffset Time, string Kind, string Detail);

/// <summary>A device's activity: events in the log, how many were red and how many were alarms, the newest, recent faults (newest first).</summary>
internal sealed record DeviceActivitySnapshot(long Events, long Red, long Alarms, LastEvent? Last, IReadOnlyList<DeviceFault> Faults);
