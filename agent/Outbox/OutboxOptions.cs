using System.ComponentModel.DataAnnotations;

namespace SupplyChain.Agent.Outbox;

/// <summary>How much the outbox may hold while the hub is out of reach: configuration section <c>Outbox</c>.</summary>
internal sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Most unacknowledged custody events. Custody events are never dropped: when full, scans are refused (red).</summary>
    [Range(1, 10_000_000, ErrorMessage = "Outbox:MaxCustodyEvents must lie between 1 and 10000000.")]
    public int MaxCustodyEvents { get; set; } = 100_000;

    /// <summary>Most sensor reports waiting to be sent. When full the oldest is dropped and counted as a gap.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Outbox:MaxSensorReports must lie between 1 and 10000000.")]
    public int MaxSensorReports { get; set; } = 20_000;
}
