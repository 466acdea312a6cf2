using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Hub.Log;

/// <summary>
/// Proves and checks that the log at one size is a prefix of the log at a larger size (RFC 9162 §2.1.4): the proof comes
/// from the stored tree (<see cref="LogReader.ConsistencyProof"/>), and is verified with the contracts library
/// (<see cref="MerkleProof.VerifyConsistency(long, long, IReadOnlyList{byte[]}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>)
/// against each size's signed checkpoint when the hub signed one at exactly that size (its signature checked with the
/// hub's verifier key), else against the root of the stored tree at that size.
/// </summary>
internal sealed class ConsistencyCheck(LogReader reader, ILogStore store, HubSigningKey key, IOptions<LogOptions> options)
{
    public const string SignedCheckpoint = "signed checkpoint";
    public const string StoredTree = "stored tree";

    /// <summary>The proof and its check, or why the sizes cannot be compared (1 ≤ from ≤ to ≤ the latest checkpoint's size).</summary>
    public bool TryCheck(long from, long to, out ConsistencyResult? result, out string reason)
    {
        result = null;
        var size = reader.Size;
        if (from < 1 || from > to || to > size)
        {
            reason = size == 0
                ? "the log has no signed checkpoint with entries yet"
                : $"sizes must satisfy 1 ≤ from ≤ to ≤ {size} (the latest checkpoint's size); got from {from}, to {to}";
            return false;
        }

        var proof = reader.ConsistencyProof(from, to);
        var older = RootOf(from);
        var newer = RootOf(to);
        var check = (older.Problem ?? newer.Problem) is { } problem
            ? ProofCheck.Invalid(problem)
            : MerkleProof.VerifyConsistency(from, to, proof, older.Root, newer.Root);
        result = new ConsistencyResult(from, to, proof, older, newer, check.IsValid, check.Reason);
        reason = string.Empty;
        return true;
    }

    private ConsistencyRoot RootOf(long size)
    {
        if (store.ReadCheckpoint(size) is not { } stored)
        {
            return new ConsistencyRoot(size, reader.RootAt(size), StoredTree, null, null);
        }

        var opened = SignedNote.Open(stored.Note, [key.Verifier]);
        if (!opened.IsVerified)
        {
            return new ConsistencyRoot(size, stored.RootHash, SignedCheckpoint, stored.Note, $"the checkpoint at size {size} does not verify: {opened.Reason}");
        }

        if (!Checkpoint.TryParse(opened.Text, out var body, out var why) || body.Size != size || body.Origin != options.Value.Origin)
        {
            return new ConsistencyRoot(size, stored.RootHash, SignedCheckpoint, stored.Note, $"the checkpoint at size {size} is not this log's: {why ?? "origin or size differ"}");
        }

        return new ConsistencyRoot(size, body.RootHash, SignedCheckpoint, stored.Note, null);
    }
}

/// <summary>The root a size is checked against, where it came from, and the signed note when it is a checkpoint.</summary>
/// <param name="Size">The tree size.</param>
/// <param name="Root">Its RFC 9162 root hash.</param>
/// <param name="Source"><see cref="ConsistencyCheck.SignedCheckpoint"/> or <see cref="ConsistencyCheck.StoredTree"/>.</param>
/// <param name="Note">The signed note, for a checkpoint.</param>
/// <param name="Problem">Why this root cannot be trusted (a checkpoint whose signature fails); null when it can.</param>
internal sealed record ConsistencyRoot(long Size, byte[] Root, string Source, string? Note, string? Problem);

/// <summary>A consistency proof between two sizes and whether it verified against their roots.</summary>
internal sealed record ConsistencyResult(long From, long To, IReadOnlyList<byte[]> Proof, ConsistencyRoot Older, ConsistencyRoot Newer, bool Verified, string? Reason);
