using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Audit;

/// <summary>
/// The live log store seen as it was when this view was made, so <see cref="LogAudit"/> can run inside a running hub:
/// entries beyond the sequenced size, checkpoints beyond the integrated size and the hashes partial tiles gained since
/// are hidden. Entries, full tiles and checkpoints never change once written and partial tiles only grow (DESIGN §3),
/// so the view is exactly the stored log of that moment. Read-only; it does not own the store.
/// </summary>
internal sealed class AuditSnapshot(ILogStore store) : ILogStore
{
    private readonly LogState _state = store.ReadState();

    public LogState ReadState() => _state;

    public IReadOnlyList<SequenceResult> Sequence(IReadOnlyList<PendingEntry> batch) =>
        throw new NotSupportedException("An audit snapshot is read-only.");

    public StoredEntry? ReadEntry(long index) => index < _state.SequencedSize ? store.ReadEntry(index) : null;

    public IReadOnlyList<StoredEntry> ReadEntries(long start, int count) =>
        store.ReadEntries(start, (int)Math.Clamp(_state.SequencedSize - start, 0, count));

    public long? FindByLeafHash(ReadOnlySpan<byte> leafHash) =>
        store.FindByLeafHash(leafHash) is { } index && index < _state.SequencedSize ? index : null;

    /// <summary>The tile as the tree of the integrated size has it: a tile of level L holds the complete nodes of tree level 8·L.</summary>
    public byte[]? ReadTile(TileId id)
    {
        var nodes = _state.IntegratedSize >> (TileId.Height * id.Level);
        var count = Math.Clamp(nodes - (id.Index * TileId.Width), 0, TileId.Width);
        if (count == 0)
        {
            return null;
        }

        var stored = store.ReadTile(id);
        return stored is not null && stored.Length > count * Rfc9162.HashSize ? stored[..(int)(count * Rfc9162.HashSize)] : stored;
    }

    public void Integrate(IReadOnlyCollection<KeyValuePair<TileId, byte[]>> tiles, StoredCheckpoint checkpoint) =>
        throw new NotSupportedException("An audit snapshot is read-only.");

    public StoredCheckpoint? ReadLatestCheckpoint() => store.ReadCheckpoint(_state.IntegratedSize);

    public IEnumerable<StoredCheckpoint> ReadCheckpoints() => store.ReadCheckpoints().Where(c => c.Size <= _state.IntegratedSize);

    public StoredCheckpoint? ReadCheckpoint(long size) => size <= _state.IntegratedSize ? store.ReadCheckpoint(size) : null;

    public void Dispose()
    {
        // The hub owns the store.
    }
}
