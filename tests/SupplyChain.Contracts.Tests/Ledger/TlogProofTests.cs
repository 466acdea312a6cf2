using System.Text;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Contracts.Tests.Ledger;

public sealed class TlogProofTests
{
    private const string Origin = "coldtrace.example/log";

    private static readonly NoteSigner Log = NoteSigner.Generate(Origin);
    private static readonly byte[][] Entries = [.. Enumerable.Range(0, 7).Select(i => Encoding.UTF8.GetBytes($"entry {i}"))];

    [Fact]
    public void Format_KnownProof_MatchesC2spLayout()
    {
        var note = CheckpointNote(Entries.Length);
        var path = ReferenceMerkleTree.Path(3, Entries);

        var text = new TlogProof(3, path, note).Format();

        var expected = "c2sp.org/tlog-proof@v1\nindex 3\n"
            + string.Concat(path.Select(h => Convert.ToBase64String(h) + "\n"))
            + "\n" + note;
        Assert.Equal(expected, text);
    }

    [Fact]
    public void FormatThenParse_WithExtra_RoundTripsAndVerifies()
    {
        var proof = new TlogProof(3, ReferenceMerkleTree.Path(3, Entries), CheckpointNote(Entries.Length), "context"u8.ToArray());

        Assert.True(TlogProof.TryParse(proof.Format(), out var parsed, out var reason), reason);

        Assert.Equal(proof.Format(), parsed!.Format());
        Assert.Equal("context"u8.ToArray(), parsed.Extra!.Value.ToArray());
        Assert.Equal(ProofCheck.Valid, parsed.Verify(Rfc9162.HashLeaf(Entries[3]), Origin, [Log.Verifier]));
    }

    [Fact]
    public void Verify_EveryIndexOfTheTree_Valid()
    {
        var note = CheckpointNote(Entries.Length);

        for (var i = 0; i < Entries.Length; i++)
        {
            var proof = new TlogProof(i, ReferenceMerkleTree.Path(i, Entries), note);
            Assert.Equal(ProofCheck.Valid, proof.Verify(Rfc9162.HashLeaf(Entries[i]), [Log.Verifier]));
        }
    }

    [Fact]
    public void Verify_SingleEntryTree_EmptyPathValid()
    {
        var proof = new TlogProof(0, [], CheckpointNote(1));

        Assert.True(TlogProof.TryParse(proof.Format(), out var parsed, out _));
        Assert.Equal(ProofCheck.Valid, parsed!.Verify(Rfc9162.HashLeaf(Entries[0]), [Log.Verifier]));
    }

    [Fact]
    public void Verify_OtherLeaf_InclusionFails()
    {
        var proof = new TlogProof(3, ReferenceMerkleTree.Path(3, Entries), CheckpointNote(Entries.Length));

        var check = proof.Verify(Rfc9162.HashLeaf(Entries[4]), [Log.Verifier]);

        Assert.False(check.IsValid);
        Assert.StartsWith("inclusion:", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UnknownLogKey_CheckpointRejected()
    {
        var proof = new TlogProof(3, ReferenceMerkleTree.Path(3, Entries), CheckpointNote(Entries.Length));

        var check = proof.Verify(Rfc9162.HashLeaf(Entries[3]), [NoteSigner.Generate(Origin).Verifier]);

        Assert.Equal("checkpoint: no signature from a known key", check.Reason);
    }

    [Fact]
    public void Verify_OtherOrigin_Rejected()
    {
        var proof = new TlogProof(3, ReferenceMerkleTree.Path(3, Entries), CheckpointNote(Entries.Length));

        var check = proof.Verify(Rfc9162.HashLeaf(Entries[3]), "other.example/log", [Log.Verifier]);

        Assert.False(check.IsValid);
        Assert.Contains("other.example/log", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_CheckpointSizeTamperedAfterSigning_SignatureFails()
    {
        var text = new TlogProof(3, ReferenceMerkleTree.Path(3, Entries), CheckpointNote(Entries.Length)).Format();
        var tampered = text.Replace($"{Origin}\n7\n", $"{Origin}\n6\n", StringComparison.Ordinal);

        Assert.True(TlogProof.TryParse(tampered, out var parsed, out _));
        Assert.StartsWith("checkpoint:", parsed!.Verify(Rfc9162.HashLeaf(Entries[3]), [Log.Verifier]).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_C2spExampleShape_ParsesExtraIndexAndHashes()
    {
        // The example of c2sp.org/tlog-proof, with its elided signatures replaced by a real one.
        var checkpoint = SignedNote.Sign("example.com/fancylog\n109482\nsFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=\n", NoteSigner.Generate("example.com/fancylog"));
        var text = """
            c2sp.org/tlog-proof@v1
            extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ
            index 73894
            gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=
            B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=
            EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=
            RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=
            AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=
            """ + "\n\n" + checkpoint;

        Assert.True(TlogProof.TryParse(text, out var proof, out var reason), reason);

        Assert.Equal(73894, proof!.Index);
        Assert.Equal(5, proof.Hashes.Count);
        Assert.Equal("gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=", Convert.ToBase64String(proof.Hashes[0]));
        Assert.Equal(checkpoint, proof.CheckpointNote);
        Assert.Equal(text, proof.Format());
    }

    public static TheoryData<string, string> BadProofs()
    {
        var note = CheckpointNote(Entries.Length);
        var hash = Convert.ToBase64String(Rfc9162.HashLeaf("h"u8));
        return new()
        {
            { "c2sp.org/tlog-proof@v2\nindex 0\n\n" + note, "start with" },
            { "index 0\n\n" + note, "start with" },
            { "c2sp.org/tlog-proof@v1\nindex 01\n\n" + note, "leading zeroes" },
            { "c2sp.org/tlog-proof@v1\nindex -1\n\n" + note, "index line" },
            { "c2sp.org/tlog-proof@v1\nindex \n\n" + note, "index line" },
            { "c2sp.org/tlog-proof@v1\nindex 0 \n\n" + note, "index line" },
            { "c2sp.org/tlog-proof@v1\nidx 0\n\n" + note, "index line" },
            { "c2sp.org/tlog-proof@v1\nextra !!\nindex 0\n\n" + note, "extra data" },
            { "c2sp.org/tlog-proof@v1\nindex 0\n" + hash[..^4] + "\n\n" + note, "proof hash 0" },
            { "c2sp.org/tlog-proof@v1\nindex 0\n" + hash + "\n" + hash + " \n\n" + note, "proof hash 1" },
            { "c2sp.org/tlog-proof@v1\nindex 0\n" + string.Concat(Enumerable.Repeat(hash + "\n", 64)) + "\n" + note, "more than 63" },
            { "c2sp.org/tlog-proof@v1\nindex 0\n" + hash + "\n", "no empty line" },
            { "c2sp.org/tlog-proof@v1\nindex 0\n\n", "checkpoint: the note is empty" },
            { "c2sp.org/tlog-proof@v1\nindex 0\n\nnot a note\n", "checkpoint: the note has no blank line" },
            { "c2sp.org/tlog-proof@v1\nindex 0\n\n" + note.Replace("\n7\n", "\nseven\n", StringComparison.Ordinal), "checkpoint: the tree size" },
            { "c2sp.org/tlog-proof@v1\nindex 0\n\n" + note[..^1], "checkpoint:" },
            { "c2sp.org/tlog-proof@v1", "start with" },
            { "", "start with" },
        };
    }

    [Theory]
    [MemberData(nameof(BadProofs))]
    public void TryParse_Malformed_ReasonNotException(string text, string reasonPart)
    {
        Assert.False(TlogProof.TryParse(text, out var proof, out var reason));
        Assert.Null(proof);
        Assert.Contains(reasonPart, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        var note = CheckpointNote(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TlogProof(-1, [], note));
        Assert.Throws<ArgumentException>(() => new TlogProof(0, [new byte[31]], note));
        Assert.Throws<ArgumentException>(() => new TlogProof(0, [], "example\n1\n"));
    }

    private static string CheckpointNote(int size) =>
        SignedNote.Sign(new Checkpoint(Origin, size, ReferenceMerkleTree.Mth(Entries[..size])).ToBody(), Log);
}
