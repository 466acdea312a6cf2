using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Audit;

/// <summary>
/// Re-derives the whole log from its entries: every leaf hash against the stored tree, every stored tile, every stored
/// checkpoint's root and signature, and consistency between consecutive checkpoints. Stops at the first discrepancy and
/// names where it is.
/// </summary>
internal sealed class LogAudit(ILogStore store, NoteVerifier verifier, string origin)
{
    private const int Chunk = 4096;

    public AuditReport Run(IProgress<AuditProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var state = store.ReadState();
        var checkpoints = store.ReadCheckpoints().ToList();
        if (checkpoints.Count == 0)
        {
            return state.IntegratedSize == 0 && state.SequencedSize == 0
                ? AuditReport.Clean(0, 0)
                : AuditReport.Failed(null, "entries are stored but no checkpoint was ever signed");
        }

        if (checkpoints[^1].Size != state.IntegratedSize)
        {
            return AuditReport.Failed(null, $"the latest checkpoint has size {checkpoints[^1].Size} but the tree covers {state.IntegratedSize}");
        }

        var tree = new AuditTree(store);
        var next = 0;

        // The first checkpoint (size 0) comes before any entry.
        while (next < checkpoints.Count && checkpoints[next].Size == 0)
        {
            if (CheckCheckpoint(checkpoints, next, tree) is { } why)
            {
                return AuditReport.Failed(null, why);
            }

            next++;
        }

        Span<byte> leafHash = stackalloc byte[Rfc9162.HashSize];
        long expected = 0;
        for (long start = 0; start < state.SequencedSize; start += Chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entries = store.ReadEntries(start, (int)Math.Min(Chunk, state.SequencedSize - start));
            foreach (var entry in entries)
            {
                if (entry.Index != expected)
                {
                    return AuditReport.Failed(expected, $"entry {expected} is missing");
                }

                expected++;

                if (entry.Leaf.Length == 0 || !Enum.IsDefined((LogLeafKind)entry.Leaf[0]))
                {
                    return AuditReport.Failed(entry.Index, $"entry {entry.Index} has an unknown leaf kind");
                }

                Rfc9162.HashLeaf(entry.Leaf, leafHash);
                if (!leafHash.SequenceEqual(entry.LeafHash))
                {
                    return AuditReport.Failed(entry.Index, $"entry {entry.Index}: its bytes do not hash to its stored leaf hash");
                }

                if (entry.Index < state.IntegratedSize && tree.Append(leafHash) is { } failure)
                {
                    return AuditReport.Failed(entry.Index, failure);
                }

                while (next < checkpoints.Count && checkpoints[next].Size == tree.Size)
                {
                    if (CheckCheckpoint(checkpoints, next, tree) is { } why)
                    {
                        return AuditReport.Failed(entry.Index, why);
                    }

                    next++;
                }
            }

            if (entries.Count == 0)
            {
                return AuditReport.Failed(start, $"entry {start} is missing");
            }

            progress?.Report(new AuditProgress(Math.Min(start + Chunk, state.SequencedSize), state.SequencedSize));
        }

        if (next != checkpoints.Count)
        {
            return AuditReport.Failed(null, $"checkpoint at size {checkpoints[next].Size} is beyond the stored entries");
        }

        return tree.CheckPartialTiles() is { } tileFailure
            ? AuditReport.Failed(state.IntegratedSize, tileFailure)
            : AuditReport.Clean(state.SequencedSize, checkpoints.Count);
    }

    private string? CheckCheckpoint(List<StoredCheckpoint> checkpoints, int i, AuditTree tree)
    {
        var checkpoint = checkpoints[i];
        var opened = SignedNote.Open(checkpoint.Note, [verifier]);
        if (!opened.IsVerified || opened.VerifiedBy.Count == 0)
        {
            return $"checkpoint at size {checkpoint.Size}: signature does not verify ({opened.Reason ?? "no known signature"})";
        }

        if (!Checkpoint.TryParse(opened.Text!, out var body, out var reason) || body.Origin != origin || body.Size != checkpoint.Size)
        {
            return $"checkpoint at size {checkpoint.Size}: body does not match ({reason ?? "origin or size differ"})";
        }

        var root = tree.Root();
        if (!root.AsSpan().SequenceEqual(body.RootHash) || !root.AsSpan().SequenceEqual(checkpoint.RootHash))
        {
            return $"checkpoint at size {checkpoint.Size}: its root is not the root of the stored entries";
        }

        if (i > 0 && checkpoints[i - 1].Size > 0)
        {
            var previous = checkpoints[i - 1];
            var proof = new TreeView(store.ReadTile).ConsistencyProof(previous.Size, checkpoint.Size);
            var check = MerkleProof.VerifyConsistency(previous.Size, checkpoint.Size, proof, previous.RootHash, checkpoint.RootHash);
            if (!check.IsValid)
            {
                return $"checkpoints at sizes {previous.Size} and {checkpoint.Size} are not consistent ({check.Reason})";
            }
        }

        return null;
    }
}

/// <summary>The outcome of an audit: clean, or the first discrepancy and the entry index it was found at.</summary>
internal sealed record AuditReport(bool IsClean, long Entries, int Checkpoints, long? FailedIndex, string? Failure)
{
    public static AuditReport Clean(long entries, int checkpoints) => new(true, entries, checkpoints, null, null);

    public static AuditReport Failed(long? index, string failure) => new(false, 0, 0, index, failure);
}

internal readonly record struct AuditProgress(long Done, long Total);
