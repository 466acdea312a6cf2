using FsCheck;
using FsCheck.Fluent;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Tests.Log;

public sealed class TreeViewTests
{
    // Sizes around tile edges (256 leaves per tile, 65,536 per level-1 tile) where off-by-one errors live.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(511)]
    [InlineData(513)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(65_537)]
    public void RootAt_EverySize_EqualsTheRfcDefinition(int size)
    {
        var (tree, leaves) = Build(size);
        Assert.Equal(ReferenceTree.Root(leaves, 0, size), tree.RootAt(size));
        foreach (var smaller in new[] { 1, size / 2, size - 1 }.Where(s => s > 0))
        {
            Assert.Equal(ReferenceTree.Root(leaves, 0, smaller), tree.RootAt(smaller));
        }
    }

    [Fact]
    public void Proofs_AllIndexesAndSizesOfASmallTree_VerifyWithTheContractsVerifier()
    {
        var (tree, leaves) = Build(70);
        for (var size = 1; size <= 70; size++)
        {
            var root = tree.RootAt(size);
            for (var index = 0; index < size; index++)
            {
                var inclusion = MerkleProof.VerifyInclusion(index, size, leaves[index], tree.InclusionProof(index, size), root);
                Assert.True(inclusion.IsValid, $"inclusion {index}/{size}: {inclusion.Reason}");
            }

            for (var old = 1; old <= size; old++)
            {
                var consistency = MerkleProof.VerifyConsistency(old, size, tree.ConsistencyProof(old, size), tree.RootAt(old), root);
                Assert.True(consistency.IsValid, $"consistency {old}->{size}: {consistency.Reason}");
            }
        }
    }

    [Fact]
    public void Proofs_EqualTheReferenceProofs()
    {
        var (tree, leaves) = Build(600);
        foreach (var (index, size) in new[] { (0, 1), (5, 600), (255, 256), (256, 257), (599, 600), (300, 513) })
        {
            Assert.Equal(ReferenceTree.Path(index, leaves, 0, size), tree.InclusionProof(index, size));
        }

        foreach (var (old, size) in new[] { (1, 600), (256, 600), (257, 600), (3, 7), (511, 513) })
        {
            Assert.Equal(ReferenceTree.Consistency(old, leaves, size), tree.ConsistencyProof(old, size));
        }
    }

    private static readonly (TreeView Tree, List<byte[]> Leaves) Shared = Build(2048);

    // Sizes and indexes change by one flipped bit; a proof must then fail against the root of the size it now claims.
    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Proofs_RandomTreesAndAnySingleBitFlip_FailVerification()
    {
        var cases =
            from size in Gen.Choose(2, 2048)
            from index in Gen.Choose(0, size - 1)
            from old in Gen.Choose(1, size - 1)
            from bit in Gen.Choose(0, 255)
            select (size, index, old, bit);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (tree, leaves) = Shared;
            var root = tree.RootAt(c.size);
            var inclusion = tree.InclusionProof(c.index, c.size);
            var consistency = tree.ConsistencyProof(c.old, c.size);
            var oldRoot = tree.RootAt(c.old);
            var sizeBit = 1 << (c.bit % 12);

            var ok = MerkleProof.VerifyInclusion(c.index, c.size, leaves[c.index], inclusion, root).IsValid
                && MerkleProof.VerifyConsistency(c.old, c.size, consistency, oldRoot, root).IsValid;

            var flippedIndex = c.index ^ sizeBit;
            var flippedSize = c.size ^ sizeBit;
            var flippedOld = c.old ^ sizeBit;
            var badInclusion =
                !MerkleProof.VerifyInclusion(c.index, c.size, leaves[c.index], inclusion, Flip(root, c.bit)).IsValid
                && !MerkleProof.VerifyInclusion(c.index, c.size, Flip(leaves[c.index], c.bit), inclusion, root).IsValid
                && (flippedIndex >= c.size || !MerkleProof.VerifyInclusion(flippedIndex, c.size, leaves[c.index], inclusion, root).IsValid)
                && (flippedSize is < 1 or > 2048 || flippedSize <= c.index
                    || !MerkleProof.VerifyInclusion(c.index, flippedSize, leaves[c.index], inclusion, tree.RootAt(flippedSize)).IsValid)
                && (inclusion.Count == 0 || !MerkleProof.VerifyInclusion(c.index, c.size, leaves[c.index], FlipOne(inclusion, c.bit), root).IsValid);
            var badConsistency =
                !MerkleProof.VerifyConsistency(c.old, c.size, consistency, Flip(oldRoot, c.bit), root).IsValid
                && !MerkleProof.VerifyConsistency(c.old, c.size, consistency, oldRoot, Flip(root, c.bit)).IsValid
                && (flippedOld is < 1 || flippedOld >= c.size
                    || !MerkleProof.VerifyConsistency(flippedOld, c.size, consistency, tree.RootAt(flippedOld), root).IsValid)
                && (consistency.Count == 0 || !MerkleProof.VerifyConsistency(c.old, c.size, FlipOne(consistency, c.bit), oldRoot, root).IsValid);
            return ok && badInclusion && badConsistency;
        });
    }

    [Fact]
    public void Proofs_WithTilePyramids_AreTheSameAsHashingUp()
    {
        // 257 full level-0 tiles and a partial one, a full level-1 tile and a partial one: pyramids answer the inner
        // nodes of full tiles and the complete subtrees of partial ones.
        const int size = (257 * 256) + 100;
        var stored = new Dictionary<TileId, byte[]>();
        var appender = new TreeAppender(id => stored.GetValueOrDefault(id), 0);
        for (var i = 0; i < size; i++)
        {
            appender.Append(Rfc9162.HashLeaf(BitConverter.GetBytes(i)));
        }

        foreach (var (id, hashes) in appender.ChangedTiles())
        {
            stored[id] = hashes;
        }

        var asked = 0;
        var plain = new TreeView(id => stored.GetValueOrDefault(id));
        var fast = new TreeView(id => stored.GetValueOrDefault(id), (id, rise, index) =>
        {
            if (stored.GetValueOrDefault(id) is not { Length: > 0 } tile)
            {
                return null;
            }

            asked++;
            return new TilePyramid(tile).Node(rise, index);
        });
        var random = new Random(8);
        foreach (var treeSize in new long[] { 255, 256, 257, 65_536, 65_537, size })
        {
            Assert.Equal(plain.RootAt(treeSize), fast.RootAt(treeSize));
            for (var n = 0; n < 20; n++)
            {
                var index = random.NextInt64(treeSize);
                Assert.Equal(plain.InclusionProof(index, treeSize), fast.InclusionProof(index, treeSize));
                var old = 1 + random.NextInt64(treeSize);
                Assert.Equal(plain.ConsistencyProof(old, treeSize), fast.ConsistencyProof(old, treeSize));
            }
        }

        Assert.True(asked > 100);
    }

    internal static (TreeView Tree, List<byte[]> Leaves) Build(int size)
    {
        var stored = new Dictionary<TileId, byte[]>();
        var appender = new TreeAppender(id => stored.GetValueOrDefault(id), 0);
        var leaves = new List<byte[]>(size);
        for (var i = 0; i < size; i++)
        {
            var leafHash = Rfc9162.HashLeaf(BitConverter.GetBytes(i));
            leaves.Add(leafHash);
            appender.Append(leafHash);
        }

        foreach (var (id, hashes) in appender.ChangedTiles())
        {
            stored[id] = hashes;
        }

        return (new TreeView(id => stored.GetValueOrDefault(id)), leaves);
    }

    private static byte[] Flip(byte[] hash, int bit)
    {
        var copy = (byte[])hash.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    private static List<byte[]> FlipOne(List<byte[]> proof, int bit)
    {
        var copy = proof.ToList();
        var which = bit % copy.Count;
        copy[which] = Flip(copy[which], bit);
        return copy;
    }
}
