using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Contracts.Tests.Ledger;

// Bad input is a result, never an exception: random text, and valid texts with random edits, go through every parser.
public sealed class ParserPropertyTests
{
    private static readonly NoteSigner Log = NoteSigner.Generate("fuzz.example/log");
    private static readonly string ValidProof = BuildValidProof();

    // Characters that matter to these formats, plus a few that must be refused.
    private static readonly char[] Interesting = ['\n', '\u2014', ' ', '+', '=', '/', 'A', '0', '1', '-', '\0', '\t', '\r', '\ud800', 'é'];

    private static readonly Arbitrary<string> Edited = Arb.From(
        from edits in Gen.ArrayOf(
            from position in Gen.Choose(0, ValidProof.Length - 1)
            from kind in Gen.Choose(0, 2)
            from c in Gen.Elements(Interesting)
            select (position, kind, c))
        select Apply(ValidProof, edits));

    [Property(MaxTest = 300)]
    public bool AllParsers_RandomText_NeverThrow(string? junk) => ParseEverything(junk);

    [Property(MaxTest = 500)]
    public Property AllParsers_EditedValidProof_NeverThrow() => Prop.ForAll(Edited, ParseEverything);

    [Property(MaxTest = 500)]
    public Property Verify_EditedValidProof_NeverAcceptsAnotherEntry() => Prop.ForAll(Edited, text =>
    {
        // Whatever the edit, a proof only ever verifies for the entry it was made for.
        return !TlogProof.TryParse(text, out var proof, out _)
            || !proof!.Verify(Rfc9162.HashLeaf("entry 2"u8), [Log.Verifier]).IsValid;
    });

    [Fact]
    public void Verify_UneditedValidProof_Valid()
    {
        Assert.True(TlogProof.TryParse(ValidProof, out var proof, out var reason), reason);
        Assert.Equal(ProofCheck.Valid, proof!.Verify(Rfc9162.HashLeaf("entry 3"u8), [Log.Verifier]));
    }

    private static bool ParseEverything(string? text)
    {
        _ = SignedNote.Open(text, [Log.Verifier]);
        _ = Checkpoint.TryParse(text, out _, out _);
        _ = NoteVerifier.TryParse(text, out _, out _);
        _ = NoteSigner.TryParse(text, out _, out _);
        if (TlogProof.TryParse(text, out var proof, out _))
        {
            _ = proof!.Verify(Rfc9162.HashLeaf("entry 3"u8), [Log.Verifier]);
            _ = proof.Format();
        }

        return true;
    }

    private static string Apply(string text, (int Position, int Kind, char C)[] edits)
    {
        var builder = new StringBuilder(text);
        foreach (var (position, kind, c) in edits)
        {
            var at = Math.Min(position, builder.Length - 1);
            switch (kind)
            {
                case 0 when builder.Length > 1:
                    builder.Remove(at, 1);
                    break;
                case 1:
                    builder.Insert(at, c);
                    break;
                default:
                    builder[at] = c;
                    break;
            }
        }

        return builder.ToString();
    }

    private static string BuildValidProof()
    {
        byte[][] entries = [.. Enumerable.Range(0, 6).Select(i => Encoding.UTF8.GetBytes($"entry {i}"))];
        var note = SignedNote.Sign(new Checkpoint("fuzz.example/log", entries.Length, ReferenceMerkleTree.Mth(entries)).ToBody(), Log);
        return new TlogProof(3, ReferenceMerkleTree.Path(3, entries), note, [1, 2, 3]).Format();
    }
}
