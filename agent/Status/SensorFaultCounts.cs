using System.Collections.Concurrent;
using System.Text.Json;
using SupplyChain.Agent.Sensors;
using SupplyChain.Agent.Sensors.Sampling;

namespace SupplyChain.Agent.Status;

/// <summary>Failed sensor reads since start, by sensor and reason (snake_case of <see cref="SensorFaultReason"/>).</summary>
internal sealed record SensorFaultCount(string Sensor, string Reason, long Count);

/// <summary>Adds up the faults of every closed report window, for status and metrics. Thread-safe.</summary>
internal sealed class SensorFaultCounts
{
    private readonly ConcurrentDictionary<(string Sensor, SensorFaultReason Reason), long> _counts = new();

    public void Record(SamplerEvent item)
    {
        if (item is not SensorWindowReport report)
        {
            return;
        }

        foreach (var (reason, count) in report.FaultsByReason)
        {
            _counts.AddOrUpdate((report.SensorId, reason), count, (_, total) => total + count);
        }
    }

    public IReadOnlyList<SensorFaultCount> Snapshot() =>
        [.. _counts
            .Select(c => new SensorFaultCount(c.Key.Sensor, JsonNamingPolicy.SnakeCaseLower.ConvertName(c.Key.Reason.ToString()), c.Value))
            .OrderBy(c => c.Sensor, StringComparer.Ordinal)
            .ThenBy(c => c.Reason, StringComparer.Ordinal)];
}
