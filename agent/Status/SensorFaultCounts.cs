using System.Collections.Concurrent;
using System.Text.Json;
using SupplyChain.Agent.Sensors;
using SupplyChain.Agent.Sensors.Sampling;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Agent.Status;

/// <summary>Failed sensor reads since start, by sensor and reason (snake_case of <see cref="SensorFaultReason"/>).</summary>
internal sealed record SensorFaultCount(string Sensor, string Reason, long Count);

/// <summary>Adds up the faults of every closed report window, for status and metrics. Thread-safe.</summary>
internal sealed class SensorFaultCounts
{
    private readonly ConcurrentDictionary<(string Sensor, SensorFaultReason Reason), long> _counts = new();
    private readonly ConcurrentDictionary<string, SensorFaultReason> _last = new(StringComparer.Ordinal);

    public void Record(SamplerEvent item)
    {
        if (item is not SensorWindowReport report)
        {
            return;
        }

        foreach (var (reason, count) in report.FaultsByReason)
        {
            _counts.AddOrUpdate((report.SensorId, reason), count, (_, total) => total + count);
            if (count > 0)
            {
                _last[report.SensorId] = reason;
            }
        }
    }

    /// <summary>Failed reads per sensor with the reason of the newest window's failures, as the hub's status report carries them (PROTOCOL.md §5.8).</summary>
    public IReadOnlyList<StationSensorFaults> BySensor() =>
        [.. _counts
            .GroupBy(c => c.Key.Sensor, StringComparer.Ordinal)
            .Where(g => g.Sum(c => c.Value) > 0)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Take(StationStatus.MaxSensors)
            .Select(g => new StationSensorFaults
            {
                Sensor = g.Key,
                Count = g.Sum(c => c.Value),
                LastFault = _last.TryGetValue(g.Key, out var reason) ? Name(reason) : string.Empty,
            })];

    public IReadOnlyList<SensorFaultCount> Snapshot() =>
        [.. _counts
            .Select(c => new SensorFaultCount(c.Key.Sensor, Name(c.Key.Reason), c.Value))
            .OrderBy(c => c.Sensor, StringComparer.Ordinal)
            .ThenBy(c => c.Reason, StringComparer.Ordinal)];

    private static string Name(SensorFaultReason reason) => JsonNamingPolicy.SnakeCaseLower.ConvertName(reason.ToString());
}
