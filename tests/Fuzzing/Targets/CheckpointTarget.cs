using System.Text;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Fuzzing.Targets;

/// <summary>
/// Signed checkpoint notes (c2sp.org/signed-note, c2sp.org/tlog-checkpoint): <see cref="SignedNote.Open"/> with the
/// example log key, <see cref="Checkpoint.TryParse"/> of the whole input and of a verified note's text, and the key
/// parsers <see cref="NoteVerifier.TryParse"/> and <see cref="NoteSigner.TryParse"/>. Oracle: an accepted checkpoint
/// body is canonical, so <see cref="Checkpoint.ToBody"/> gives the input back.
/// </summary>
internal static class CheckpointTarget
{
    public static FuzzTarget Target { get; } = new(
        "checkpoint",
        "SignedNote.Open, Checkpoint.TryParse, ToBody, NoteVerifier.TryParse, NoteSigner.TryParse",
        Run);

    private static void Run(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var opened = SignedNote.Open(text, [LogKey.Verifier]);
        InvariantBrokenException.ThrowUnless(opened.IsVerified == (opened.Text is not null), "a note result both verified and rejected");
        if (opened.IsVerified)
        {
            CheckBody(opened.Text!);
        }

        CheckBody(text);
        if (NoteVerifier.TryParse(text, out var parsed, out _))
        {
            // The hex key ID may be written in either case, so compare what the key's own text form parses to.
            InvariantBrokenException.ThrowUnless(
                NoteVerifier.TryParse(parsed!.VerifierKey, out var again, out _) && again!.KeyId == parsed.KeyId && again.Name == parsed.Name,
                "an accepted verifier key's own text form does not parse back");
        }

        if (NoteSigner.TryParse(text, out var signer, out _))
        {
            // A private key that parses must sign a note its own verifier key opens.
            var note = SignedNote.Sign("fuzz\n", signer!);
            InvariantBrokenException.ThrowUnless(
                NoteVerifier.TryParse(signer!.VerifierKey, out var verifier, out _) && SignedNote.Open(note, [verifier!]).IsVerified,
                "a parsed private key signs a note its verifier key does not open");
        }
    }

    private static void CheckBody(string body)
    {
        if (Checkpoint.TryParse(body, out var checkpoint, out var reason))
        {
            InvariantBrokenException.ThrowUnless(checkpoint.ToBody() == body, "an accepted checkpoint body is not canonical");
        }
        else
        {
            InvariantBrokenException.ThrowUnless(reason is not null, "a rejection without a reason");
        }
    }
}
