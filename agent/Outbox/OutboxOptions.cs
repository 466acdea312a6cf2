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

    /// <summary>
    /// Free bytes the data directory must keep: below this no new event is stored (custody scans red <c>disk_full</c>,
    /// sensor reports counted as gaps), and a store closed by a failed write is reopened only above it. 256 KiB is room for
    /// LiteDB to replay its log and commit a few transactions.
    /// </summary>
    [Range(typeof(long), "0", "1099511627776", ErrorMessage = "Outbox:MinFreeBytes must lie between 0 and 1099511627776.")]
    public long MinFreeBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// How often custody events are copied from the journal (<c>outbox.journal</c>) into the store when delivery has not
    /// done it (it does at every turn). A scan is durable once journaled; this only bounds how long the journal grows.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Outbox:JournalMoveInterval must lie between 00:00:00.010 and 00:10:00.")]
    public TimeSpan JournalMoveInterval { get; set; } = TimeSpan.FromSeconds(1);
}
