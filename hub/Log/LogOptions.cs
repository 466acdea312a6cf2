using System.ComponentModel.DataAnnotations;

namespace SupplyChain.Hub.Log;

/// <summary>The "Log" configuration section: the transparency log's identity and its sequencing and checkpoint pace.</summary>
internal sealed class LogOptions
{
    public const string Section = "Log";

    /// <summary>
    /// The log's origin line in every checkpoint, and the name of the hub's signing key (C2SP tlog-checkpoint §"Note text":
    /// a schema-less URL). Changing it after the first start is refused: the stored key and checkpoints carry the old name.
    /// </summary>
    [Required]
    [RegularExpression(@"^[^\s+]+$", ErrorMessage = "Log:Origin must be non-empty with no spaces and no '+'.")]
    public string Origin { get; set; } = "coldtrace.localhost/log";

    /// <summary>
    /// Most entries the sequencer writes in one durable batch (one append and fsync of each entry file). Flat out, 2,048
    /// carried 12 % more than 256 on the 2-core test machine (docs/BENCHMARKS.md "Whole system"); a batch never waits to
    /// fill (<see cref="BatchPeriod"/>), so the size costs nothing at low rates.
    /// </summary>
    [Range(1, 65536)]
    public int BatchSize { get; set; } = 2048;

    /// <summary>
    /// How long the sequencer waits for more entries after the first one of a batch. Zero by default (group commit): a
    /// batch is written as soon as the previous one is durable, and entries that arrive during that write form the next
    /// batch, so batches grow with load while a lone device never waits for a timer before its ack.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan BatchPeriod { get; set; } = TimeSpan.Zero;

    /// <summary>How often the integrator extends the tree and signs a new checkpoint (about 1 s, as DESIGN §3 asks).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan CheckpointPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// On PostgreSQL, how often a hub reads back the checkpoints and entries other hubs on the same database signed and
    /// sequenced (<see cref="LogFollower"/>, <see cref="Custody.CustodyFollower"/>): the most a read lags behind them.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan FollowPeriod { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Most entries folded into the tree in one integration step (one atomic write of tiles and checkpoint).</summary>
    [Range(256, 1 << 22)]
    public int IntegrationChunk { get; set; } = 1 << 16;

    /// <summary>
    /// Free bytes the data directory must keep for the LiteDB log and chain-head stores to write (docs/RELIABILITY.md "Disk
    /// full and corrupt stores"): below it ingest answers <c>hub_unavailable</c> and devices keep their events.
    /// </summary>
    [Range(typeof(long), "0", "1099511627776")]
    public long MinFreeBytes { get; set; } = Storage.DiskRoom.DefaultMinFreeBytes;

    /// <summary>The default of <see cref="ProofCacheTiles"/>: 65,536 tiles cover 16.7 M entries in at most 1 GiB.</summary>
    public const int DefaultProofCacheTiles = 1 << 16;

    /// <summary>
    /// Full tiles (256 leaf hashes each, with their inner nodes: 16 KiB) the proof reader keeps in memory. Proofs for
    /// entries whose tiles are cached read nothing from the store; size it to the log's entries / 256 to keep them all.
    /// </summary>
    [Range(64, 1 << 22)]
    public int ProofCacheTiles { get; set; } = DefaultProofCacheTiles;

    /// <summary>Pending appends the sequencer accepts before callers wait: back-pressure instead of unbounded memory.</summary>
    [Range(1, 1 << 20)]
    public int QueueCapacity { get; set; } = 1 << 14;
}
