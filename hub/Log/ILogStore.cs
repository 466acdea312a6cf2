namespace SupplyChain.Hub.Log;

/// <summary>
/// The log's storage (<see cref="LiteDbLogStore"/>, <see cref="PostgresLogStore"/>). Two writers only: the sequencer
/// (<see cref="Sequence"/>) and the integrator (<see cref="Integrate"/>); each call is one atomic, durable transaction.
/// </summary>
internal interface ILogStore : IDisposable
{
    LogState ReadState();

    /// <summary>
    /// Gives each entry the next free index, or the index it already has when the same leaf is stored (a duplicate), and
    /// makes the whole batch durable before returning.
    /// </summary>
    IReadOnlyList<SequenceResult> Sequence(IReadOnlyList<PendingEntry> batch);

    /// <summary>
    /// True when <see cref="Sequence"/> checks each entry's <see cref="PendingEntry.Link"/> against the device's chain head
    /// and moves the head in the same transaction (PostgreSQL, where several hubs sequence into one log). False for
    /// LiteDB: one hub owns the files, and its ingest worker, which owns the device, decides the chain in memory.
    /// </summary>
    bool KeepsChains => false;

    StoredEntry? ReadEntry(long index);

    /// <summary>Entries <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1 in index order.</summary>
    IReadOnlyList<StoredEntry> ReadEntries(long start, int count);

    long? FindByLeafHash(ReadOnlySpan<byte> leafHash);

    /// <summary>The stored hashes of a tile (32 bytes each, possibly fewer than 256), or null when none are stored.</summary>
    byte[]? ReadTile(TileId id);

    /// <summary>
    /// Stores the tiles that changed and the checkpoint that covers them in one transaction, and moves the integrated size
    /// to the checkpoint's size. The tree state and the checkpoint can therefore never disagree after a crash.
    /// </summary>
    void Integrate(IReadOnlyCollection<KeyValuePair<TileId, byte[]>> tiles, StoredCheckpoint checkpoint);

    StoredCheckpoint? ReadLatestCheckpoint();

    /// <summary>Every checkpoint the hub has signed, smallest size first.</summary>
    IEnumerable<StoredCheckpoint> ReadCheckpoints();

    /// <summary>The checkpoint signed at exactly <paramref name="size"/>, or null when none was.</summary>
    StoredCheckpoint? ReadCheckpoint(long size) => ReadCheckpoints().FirstOrDefault(c => c.Size == size);
}

/// <summary>How far the log has got: entries with a durable index, and entries covered by the tree and a checkpoint.</summary>
internal readonly record struct LogState(long SequencedSize, long IntegratedSize);

/// <summary>
/// An entry waiting for its index, with its RFC 9162 leaf hash, which decides duplicates, and for a device event its
/// place on the device's chain (checked by stores that <see cref="ILogStore.KeepsChains"/>).
/// </summary>
internal sealed record PendingEntry(byte[] Leaf, byte[] LeafHash, ChainLink? Link = null);

/// <summary>A device event's link in its device's chain (PROTOCOL.md §5.5): the device, its <c>ct:seq</c> and <c>prev</c>, and its id.</summary>
internal sealed record ChainLink(SupplyChain.Contracts.Topics.DeviceId Device, SupplyChain.Contracts.Events.DeviceStamp Stamp, SupplyChain.Contracts.Signing.EventId Id);

/// <summary>
/// The durable index an entry got, and whether it already had it; or, from a store that keeps chains, why the entry was
/// not stored (<see cref="Refused"/> is then set and <see cref="Index"/> is −1).
/// </summary>
internal readonly record struct SequenceResult(long Index, bool IsDuplicate, Ingest.ChainPlacement? Refused = null)
{
    public static SequenceResult Refuse(Ingest.ChainPlacement placement) => new(-1, false, placement);
}

/// <summary>A stored entry and the leaf hash stored beside it (which the audit recomputes).</summary>
internal sealed record StoredEntry(long Index, byte[] Leaf, byte[] LeafHash);

/// <summary>A checkpoint the hub signed: its size, root and the whole signed note.</summary>
internal sealed record StoredCheckpoint(long Size, byte[] RootHash, string Note);
