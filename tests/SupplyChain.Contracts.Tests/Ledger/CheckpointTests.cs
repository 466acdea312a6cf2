using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Contracts.Tests.Ledger;

public sealed class CheckpointTests
{
    // Known answer: two checkpoints of the "monkeys" log and the consistency proof between them.
    private const string MonkeysVkey = "monkeys+db4d9f7e+AULaJMvTtDLHPUcUrjdDad9vDlh/PTfC2VV60JUtCfWT";
    private const string Monkeys5 = "monkeys\n5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n";
    private const string Monkeys8 = "monkeys\n8\nV8K9aklZ4EPB+RMOk1/8VsJUdFZR77GDtZUQq84vSbo=\n";

    private static readonly byte[][] Monkeys5To8 =
    [
        Convert.FromHexString("b9e1d62618f7fee8034e4c5010f727ab24d8e4705cb296c374bf2025a87a10d2"),
        Convert.FromHexString("aac66cd7a79ce4012d80762fe8eec3a77f22d1ca4145c3f4cee022e7efcd599d"),
        Convert.FromHexString("89d0f753f66a290c483b39cd5e9eafb12021293395fad3d4a2ad053cfbcfdc9e"),
        Convert.FromHexString("29e40bb79c966f4c6fe96aff6f30acfce5f3e8d84c02215175d6e018a5dee833"),
    ];

    [Fact]
    public void VerifyConsistency_MonkeysCheckpoints5And8_Valid()
    {
        var older = Parse(Monkeys5);
        var newer = Parse(Monkeys8);

        Assert.Equal(ProofCheck.Valid, MerkleProof.VerifyConsistency(older.Size, newer.Size, Monkeys5To8, older.RootHash, newer.RootHash));
    }

    [Fact]
    public void VerifyConsistency_MonkeysCheckpointObjects_Valid()
    {
        Assert.Equal(ProofCheck.Valid, MerkleProof.VerifyConsistency(Parse(Monkeys5), Parse(Monkeys8), Monkeys5To8));
    }

    [Fact]
    public void VerifyConsistency_CheckpointsOfDifferentLogs_Invalid()
    {
        var other = Parse(Monkeys8) with { Origin = "apes" };

        var check = MerkleProof.VerifyConsistency(Parse(Monkeys5), other, Monkeys5To8);

        Assert.False(check.IsValid);
        Assert.Contains("different logs", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyConsistency_DefaultCheckpoint_InvalidNotException()
    {
        Assert.False(MerkleProof.VerifyConsistency(default, Parse(Monkeys8), Monkeys5To8).IsValid);
    }

    [Fact]
    public void VerifyConsistency_MonkeysProofWithSwappedHashes_Invalid()
    {
        var older = Parse(Monkeys5);
        var newer = Parse(Monkeys8);
        byte[][] swapped = [Monkeys5To8[1], Monkeys5To8[0], Monkeys5To8[2], Monkeys5To8[3]];

        Assert.False(MerkleProof.VerifyConsistency(older.Size, newer.Size, swapped, older.RootHash, newer.RootHash).IsValid);
    }

    [Fact]
    public void TryParse_MonkeysVkey_NamesTheLog()
    {
        Assert.True(NoteVerifier.TryParse(MonkeysVkey, out var verifier, out var reason), reason);
        Assert.Equal("monkeys", verifier!.Name);
        Assert.Equal(0xdb4d9f7eU, verifier.KeyId);
    }

    [Fact]
    public void TryParse_MonkeysBody_FieldsAndRoundTrip()
    {
        var checkpoint = Parse(Monkeys5);

        Assert.Equal("monkeys", checkpoint.Origin);
        Assert.Equal(5, checkpoint.Size);
        Assert.Equal("e35b268c1522014ef412d2a54fa94838862d453631617b0307e5c77dcbeefc11", Convert.ToHexStringLower(checkpoint.RootHash));
        Assert.Empty(checkpoint.Extensions);
        Assert.Equal(Monkeys5, checkpoint.ToBody());
    }

    [Fact]
    public void TryParse_ExtensionLines_Kept()
    {
        const string body = "example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nfirst ext\nsecond\n";

        var checkpoint = Parse(body);

        Assert.Equal(["first ext", "second"], checkpoint.Extensions);
        Assert.Equal(0, checkpoint.Size);
        Assert.Equal(body, checkpoint.ToBody());
    }

    [Fact]
    public void Equals_SameValuesDifferentArrays_Equal()
    {
        var a = new Checkpoint("o", 3, Rfc9162.HashLeaf("x"u8));
        var b = new Checkpoint("o", 3, Rfc9162.HashLeaf("x"u8));

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Size = 4 });
        Assert.NotEqual(a, b with { Extensions = ["e"] });
    }

    [Fact]
    public void Constructor_CopiesRootHash()
    {
        var root = Rfc9162.HashLeaf("x"u8);
        var checkpoint = new Checkpoint("o", 1, root);

        root[0] ^= 1;

        Assert.NotEqual(root, checkpoint.RootHash);
    }

    [Fact]
    public void SignAndOpen_CheckpointBody_RoundTrips()
    {
        var signer = NoteSigner.Generate("coldtrace.example/log");
        var checkpoint = new Checkpoint("coldtrace.example/log", 42, Rfc9162.HashLeaf("r"u8));

        var opened = SignedNote.Open(SignedNote.Sign(checkpoint.ToBody(), signer), [signer.Verifier]);

        Assert.True(opened.IsVerified, opened.Reason);
        Assert.True(Checkpoint.TryParse(opened.Text, out var parsed, out _));
        Assert.Equal(checkpoint, parsed);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "monkeys\n5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=", "newline" },
        { "monkeys\n5\n", "origin, size and root" },
        { "\n5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n", "line 1 is empty" },
        { "monkeys\n05\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n", "leading zeroes" },
        { "monkeys\n-5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n", "decimal" },
        { "monkeys\n+5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n", "decimal" },
        { "monkeys\n 5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n", "decimal" },
        { "monkeys\n99999999999999999999\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n", "decimal" },
        { "monkeys\n9223372036854775808\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n", "decimal" },
        { "monkeys\n5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE\n", "base64" },
        { "monkeys\n5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BF=\n", "base64" },
        { "monkeys\n5\nAAAA\n", "32 bytes" },
        { "monkeys\n5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n\n", "line 4 is empty" },
        { "mon\tkeys\n5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n", "control character" },
        { "", "newline" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public void TryParse_BadBody_ReasonNotException(string body, string reasonPart)
    {
        Assert.False(Checkpoint.TryParse(body, out _, out var reason));
        Assert.Contains(reasonPart, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidValues_Throw()
    {
        var root = new byte[Rfc9162.HashSize];
        Assert.Throws<ArgumentException>(() => new Checkpoint("", 0, root));
        Assert.Throws<ArgumentException>(() => new Checkpoint("two\nlines", 0, root));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Checkpoint("o", -1, root));
        Assert.Throws<ArgumentException>(() => new Checkpoint("o", 0, new byte[31]));
        Assert.Throws<ArgumentException>(() => new Checkpoint("o", 0, root) { Extensions = [""] });
    }

    [Fact]
    public void ToBody_Default_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => default(Checkpoint).ToBody());
    }

    private static Checkpoint Parse(string body)
    {
        Assert.True(Checkpoint.TryParse(body, out var checkpoint, out var reason), reason);
        return checkpoint;
    }
}
