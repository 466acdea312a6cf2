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

/// <summary>An entry waiting for its index, with its RFC 9162 leaf hash, which decides duplicates.</summary>
internal sealed record PendingEntry(byte[] Leaf, byte[] LeafHash);

/// <summary>The durable index an entry got, and whether it already had it.</summary>
internal readonly record struct SequenceResult(long Index, bool IsDuplicate);

/// <summary>A stored entry and the leaf hash stored beside it (which the audit recomputes).</summary>
internal sealed record StoredEntry(long Index, byte[] Leaf, byte[] LeafHash);

/// <summary>A checkpoint the hub signed: its size, root and the whole signed note.</summary>
internal sealed record StoredCheckpoint(long Size, byte[] RootHash, string Note);
