using System.Collections.Concurrent;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Hub.Devices;

/// <summary>
/// The newest status report of each station (PROTOCOL.md §5.8: backlog, oldest waiting event, rejections, sensor faults),
/// in memory: a report is a snapshot the station repeats, retained at the broker and sent again on each connect, so
/// nothing is lost by not storing it. Reports from unknown or revoked devices, malformed or oversized ones, and ones
/// naming another device than their topic are ignored: counted, the first of each kind logged, never thrown.
/// </summary>
internal sealed partial class DeviceStatusBoard(IDeviceRegistry registry, TimeProvider time, ILogger<DeviceStatusBoard> logger)
{
    private readonly ConcurrentDictionary<string, StationReport> _latest = new(StringComparer.Ordinal);
    private readonly long[] _ignored = new long[Enum.GetValues<StatusOutcome>().Length];

    /// <summary>Reports ignored so far, of one kind.</summary>
    public long Ignored(StatusOutcome outcome) => Interlocked.Read(ref _ignored[(int)outcome]);

    /// <summary>Takes a payload that arrived on <paramref name="device"/>'s status topic.</summary>
    public StatusOutcome Offer(DeviceId device, ReadOnlySpan<byte> payload)
    {
        var outcome = Check(device, payload, out var status, out var error);
        if (outcome == StatusOutcome.Accepted)
        {
            _latest[device.Value] = new StationReport(status!, time.GetUtcNow());
            return outcome;
        }

        // The first of each kind is logged; the rest only counted, so a misbehaving station cannot flood the log.
        if (Interlocked.Increment(ref _ignored[(int)outcome]) == 1)
        {
            LogIgnored(device.Value, outcome, error);
        }

        return outcome;
    }

    /// <summary>The newest accepted report of a device; null when none arrived since the hub started.</summary>
    public StationReport? Of(string deviceId) => _latest.TryGetValue(deviceId, out var report) ? report : null;

    private StatusOutcome Check(DeviceId device, ReadOnlySpan<byte> payload, out StationStatus? status, out StationStatusError error)
    {
        status = null;
        error = StationStatusError.None;
        if (registry.Find(device) is not { IsActive: true })
        {
            return StatusOutcome.UnknownDevice;
        }

        if (!StationStatus.TryDecode(payload, out status, out error))
        {
            return StatusOutcome.Malformed;
        }

        return string.Equals(status!.Device, device.Value, StringComparison.Ordinal) ? StatusOutcome.Accepted : StatusOutcome.Foreign;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Status report on device {Device}'s topic ignored: {Outcome} ({Error}); later ones of this kind are only counted")]
    private partial void LogIgnored(string device, StatusOutcome outcome, StationStatusError error);
}

/// <summary>A station's status report and when the hub received it (hub clock).</summary>
internal sealed record StationReport(StationStatus Status, DateTimeOffset ReceivedAt);

/// <summary>What became of a status report.</summary>
internal enum StatusOutcome
{
    Accepted = 0,

    /// <summary>The topic's device is not enrolled or is revoked.</summary>
    UnknownDevice = 1,

    /// <summary>Not a valid report (PROTOCOL.md §5.8), or larger than allowed.</summary>
    Malformed = 2,

    /// <summary>The report names another device than its topic.</summary>
    Foreign = 3,
}
