using System.Security.Cryptography;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Contracts.Tests.Ledger;

// The worked example of docs/PROTOCOL.md §4.5. Its values were checked independently with Python hashlib and cryptography (Ed25519).
public sealed class ProtocolExampleTests
{
    private const string PrivateKey = "PRIVATE+KEY+example.com/coldtrace+0854d9fc+ARfhQT/brVZsOFQrLrpto24D3rE+z1X/F5J5Dn0Io/6h";
    private const string Vkey = "example.com/coldtrace+0854d9fc+AVhUmka4XJQq6vtJDibnqUBXkqKV0tCuumrT/e6gebVD";

    private const string Proof = """
        c2sp.org/tlog-proof@v1
        index 1
        G7l9zCFjXUfiZj79/QoXRobZjdcBNS3SzQbotD/T0wU=
        qze6NNHf4pAV3nF6bVdkqPsCnDp6D1tkuTtUNRiFv3w=

        example.com/coldtrace
        3
        1Pksj7uJcg6ztVZ3x9fvrd/rENEaGoSguo8aIzN/qpU=

        — example.com/coldtrace CFTZ/C0n6L53BICuiQH+8P+Y70kFboja6+RBTpnGa/GXF61z5h7gYpqhlA+u4q8GrSfeJuxiTv23oF6iPbxfCbbMQwY=

        """;

    [Fact]
    public void PrivateKey_SeedIsDocumented_AndGivesTheVkey()
    {
        Assert.True(NoteSigner.TryParse(PrivateKey, out var signer, out var reason), reason);

        Assert.Equal(Vkey, signer!.VerifierKey);
        var seed = SHA256.HashData("ColdTrace PROTOCOL.md example key"u8);
        Assert.Equal([0x01, .. seed], Convert.FromBase64String(PrivateKey.Split('+', 5)[4]));
    }

    [Fact]
    public void ProofBundle_LeafOne_Verifies()
    {
        Assert.True(NoteVerifier.TryParse(Vkey, out var verifier, out _));
        Assert.True(TlogProof.TryParse(Proof, out var proof, out var reason), reason);

        Assert.Equal(ProofCheck.Valid, proof!.Verify(Rfc9162.HashLeaf("leaf 1"u8), "example.com/coldtrace", [verifier!]));
        Assert.False(proof.Verify(Rfc9162.HashLeaf("leaf 2"u8), [verifier!]).IsValid);
    }

    [Fact]
    public void Checkpoint_IsSignedDeterministically()
    {
        Assert.True(NoteSigner.TryParse(PrivateKey, out var signer, out _));
        var note = Proof[Proof.IndexOf("\n\n", StringComparison.Ordinal)..].TrimStart('\n');

        Assert.Equal(note, SignedNote.Sign("example.com/coldtrace\n3\n1Pksj7uJcg6ztVZ3x9fvrd/rENEaGoSguo8aIzN/qpU=\n", signer!));
    }

    [Fact]
    public void ConsistencyProof_Size2To3_IsLeafHashTwo()
    {
        var root2 = Convert.FromHexString("fc5f6b88ff8554f75bb2f9e6f39c31b1936d44b69276edf7b1205a955b9761e3");
        var root3 = Convert.FromHexString("d4f92c8fbb89720eb3b55677c7d7efaddfeb10d11a1a84a0ba8f1a23337faa95");

        Assert.Equal(ProofCheck.Valid, MerkleProof.VerifyConsistency(2, 3, [Rfc9162.HashLeaf("leaf 2"u8)], root2, root3));
    }
}
