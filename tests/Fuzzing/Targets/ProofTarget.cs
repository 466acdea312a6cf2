using System.Text;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Fuzzing.Targets;

/// <summary>
/// C2SP tlog-proof bundles: <see cref="TlogProof.TryParse"/>, then <see cref="TlogProof.Verify(ReadOnlySpan{byte}, string?, IEnumerable{NoteVerifier})"/>
/// with the example log key (checkpoint note, checkpoint body and RFC 9162 inclusion proof). Oracle: an accepted proof
/// formats back to the exact input, since every field has one text form.
/// </summary>
internal static class ProofTarget
{
    // The PROTOCOL.md §4.5 example proves leaf "leaf 1".
    private static readonly byte[] LeafHash = Rfc9162.HashLeaf("leaf 1"u8);

    public static FuzzTarget Target { get; } = new(
        "proof",
        "TlogProof.TryParse, Format, Verify (SignedNote.Open, Checkpoint.TryParse, MerkleProof.VerifyInclusion)",
        Run);

    private static void Run(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        if (!TlogProof.TryParse(text, out var proof, out var reason))
        {
            InvariantBrokenException.ThrowUnless(proof is null && reason is not null, "a rejection without a reason");
            return;
        }

        InvariantBrokenException.ThrowUnless(proof!.Format() == text, "an accepted proof does not format back to its text");
        var check = proof.Verify(LeafHash, "example.com/coldtrace", [LogKey.Verifier]);
        InvariantBrokenException.ThrowUnless(check.IsValid == (check.Reason is null), "a proof check both valid and invalid");
    }
}
