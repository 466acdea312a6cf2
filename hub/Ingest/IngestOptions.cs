using System.ComponentModel.DataAnnotations;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Ingest;

/// <summary>The "Ingest" configuration section: size limits, the device-chain gap timeout and verification parallelism.</summary>
internal sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Largest MQTT message on an events topic (one envelope or a batch); 256 KiB by default.</summary>
    [Range(1024, EventMessage.MaxMessageBytes)]
    public int MaxMessageBytes { get; set; } = EventMessage.MaxMessageBytes;

    /// <summary>
    /// Largest single envelope, as received and as stored. The default is the most a log leaf body holds
    /// (<see cref="LogSequencer.MaxBodySize"/>: 64 KiB less the tile framing), which a 47 KiB payload fits.
    /// </summary>
    [Range(1024, LogSequencer.MaxBodySize)]
    public int MaxEnvelopeBytes { get; set; } = LogSequencer.MaxBodySize;

    /// <summary>How long an event that arrived ahead of its device's chain waits for the missing ones before <c>chain_gap</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan GapTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// On PostgreSQL, how often events held for a gap are placed again once their device's stored chain head moved (the
    /// missing events may have been sequenced by another hub instance).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.002", "00:01:00")]
    public TimeSpan HeldRecheck { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Most events held back per device while a gap is open; more are rejected with <c>chain_gap</c> at once.</summary>
    [Range(1, 4096)]
    public int MaxHeldPerDevice { get; set; } = 256;

    /// <summary>Parallel workers, each owning the devices whose id hashes to it; 0 = one per core.</summary>
    [Range(0, 256)]
    public int Workers { get; set; }

    /// <summary>Messages queued per worker before the broker waits (back-pressure to the publishing device).</summary>
    [Range(1, 1 << 16)]
    public int QueueCapacity { get; set; } = 1024;
}
