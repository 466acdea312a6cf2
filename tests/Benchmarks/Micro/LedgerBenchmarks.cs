using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Log;

namespace SupplyChain.Benchmarks.Micro;

/// <summary>
/// RFC 9162 inclusion proofs in a tree of 1,000,000 leaves: generating one from stored tiles (the hub's
/// <see cref="TreeView"/>, tiles held in memory so no disk is timed) and verifying one (<see cref="MerkleProof"/>),
/// next to the machine limit of one interior node hash (SHA-256 of 65 bytes, RFC 9162 §2.1.1).
/// </summary>
/// <remarks>Public and unsealed: BenchmarkDotNet derives its generated runner from the class.</remarks>
[MemoryDiagnoser]
public class LedgerBenchmarks
{
    private const long Size = 1_000_000;
    private const long Index = 654_321;
    private readonly Dictionary<TileId, byte[]> tiles = [];
    private readonly byte[] node = new byte[1 + (2 * Rfc9162.HashSize)];
    private readonly byte[] nodeHash = new byte[Rfc9162.HashSize];
    private TreeView? tree;
    private byte[] root = [];
    private byte[] leafHash = [];
    private List<byte[]> proof = [];

    [GlobalSetup]
    public void Setup()
    {
        // Level-0 tiles hold leaf hashes; a level-L tile holds the hashes of complete tree level 8·L nodes, 256 a tile.
        var level = new byte[Size * Rfc9162.HashSize];
        for (long i = 0; i < Size; i++)
        {
            Rfc9162.HashLeaf(BitConverter.GetBytes(i), level.AsSpan((int)(i * Rfc9162.HashSize), Rfc9162.HashSize));
        }

        leafHash = level.AsSpan((int)(Index * Rfc9162.HashSize), Rfc9162.HashSize).ToArray();
        for (var tileLevel = 0; level.Length > 0; tileLevel++)
        {
            var count = level.Length / Rfc9162.HashSize;
            for (var t = 0; t * TileId.Width < count; t++)
            {
                var first = t * TileId.Width;
                var width = Math.Min(TileId.Width, count - first);
                tiles[new TileId(tileLevel, t)] = level.AsSpan(first * Rfc9162.HashSize, width * Rfc9162.HashSize).ToArray();
            }

            var parents = new byte[count / TileId.Width * Rfc9162.HashSize];
            for (var p = 0; p < count / TileId.Width; p++)
            {
                TreeView.HashUp(level.AsSpan(p * TileId.Width * Rfc9162.HashSize, TileId.Width * Rfc9162.HashSize), TileId.Height)
                    .CopyTo(parents, p * Rfc9162.HashSize);
            }

            level = parents;
        }

        tree = new TreeView(id => tiles.GetValueOrDefault(id));
        root = tree.RootAt(Size);
        proof = tree.InclusionProof(Index, Size);
        if (!VerifyInclusion())
        {
            throw new InvalidOperationException("The benchmark proof does not verify.");
        }
    }

    [Benchmark(Description = "TreeView.InclusionProof (1M leaves, in-memory tiles)")]
    public int GenerateInclusionProof() => tree!.InclusionProof(Index, Size).Count;

    [Benchmark(Description = "MerkleProof.VerifyInclusion (1M leaves, 20 hashes)")]
    public bool VerifyInclusion() => MerkleProof.VerifyInclusion(Index, Size, leafHash, proof, root).IsValid;

    [Benchmark(Baseline = true, Description = "raw SHA-256 of 65 bytes (one node)")]
    public int RawNodeHash() => SHA256.HashData(node, nodeHash);
}
