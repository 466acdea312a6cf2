using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Hub.Tests.Api;

public sealed class LogApiTests : IAsyncLifetime
{
    private RunningHub _hub = null!;
    private long _size;

    public async Task InitializeAsync()
    {
        _hub = await RunningHub.StartAsync();
        _size = await _hub.AppendAndIntegrateAsync(Enumerable.Range(0, 300).Select(i => $"decision {i}"));
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Checkpoint_VerifiesWithTheServedKey()
    {
        var (checkpoint, _) = await ReadCheckpointAsync();
        Assert.Equal(_size, checkpoint.Size);
        Assert.Equal(300, checkpoint.Size);
        Assert.Equal(await _hub.Http.GetStringAsync("/v1/log/checkpoint"), await _hub.Http.GetStringAsync("/checkpoint"));
    }

    [Fact]
    public async Task InclusionProof_ByIndexAndByHash_VerifiesAgainstTheCheckpoint()
    {
        var (checkpoint, _) = await ReadCheckpointAsync();
        var byIndex = await _hub.Http.GetFromJsonAsync<JsonElement>("/v1/log/proof/inclusion?index=123");
        var leafHash = Convert.FromBase64String(byIndex.GetProperty("leafHash").GetString()!);
        var proof = Hashes(byIndex.GetProperty("proof"));

        Assert.True(MerkleProof.VerifyInclusion(123, checkpoint.Size, leafHash, proof, checkpoint.RootHash).IsValid);

        var byHash = await _hub.Http.GetFromJsonAsync<JsonElement>($"/v1/log/proof/inclusion-by-hash?hash={Convert.ToHexStringLower(leafHash)}&size=200");
        Assert.Equal(123, byHash.GetProperty("index").GetInt64());
        var root200 = _hub.Service<SupplyChain.Hub.Log.LogReader>().RootAt(200);
        Assert.True(MerkleProof.VerifyInclusion(123, 200, leafHash, Hashes(byHash.GetProperty("proof")), root200).IsValid);
    }

    [Fact]
    public async Task ConsistencyProof_BetweenSizes_Verifies()
    {
        var (checkpoint, _) = await ReadCheckpointAsync();
        var response = await _hub.Http.GetFromJsonAsync<JsonElement>("/v1/log/proof/consistency?old=57");
        var root57 = _hub.Service<SupplyChain.Hub.Log.LogReader>().RootAt(57);
        Assert.True(MerkleProof.VerifyConsistency(57, checkpoint.Size, Hashes(response.GetProperty("proof")), root57, checkpoint.RootHash).IsValid);
    }

    [Fact]
    public async Task ProofBundle_VerifiesWithOnlyTheVerifierKey()
    {
        var (_, verifier) = await ReadCheckpointAsync();
        var bundle = await _hub.Http.GetStringAsync("/v1/log/proof/bundle/42");
        var entry = await _hub.Http.GetFromJsonAsync<JsonElement>("/v1/log/entries/42");
        var leafHash = Convert.FromBase64String(entry.GetProperty("leafHash").GetString()!);

        Assert.Equal("hub-decision", entry.GetProperty("kind").GetString());
        Assert.Equal("decision 42", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(entry.GetProperty("body").GetString()!)));
        Assert.True(TlogProof.TryParse(bundle, out var proof, out var reason), reason);
        Assert.True(proof!.Verify(leafHash, [verifier]).IsValid);
    }

    [Fact]
    public async Task Tiles_HashAndEntryTiles_AgreeWithTheCheckpoint()
    {
        var (checkpoint, _) = await ReadCheckpointAsync();
        // 300 entries: level-0 tile 0 is full (256), tile 1 is partial with 44 hashes.
        var full = await _hub.Http.GetAsync("/tile/0/000");
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Contains("immutable", full.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var tile0 = await full.Content.ReadAsByteArrayAsync();
        var tile1 = await _hub.Http.GetByteArrayAsync("/tile/0/001.p/44");
        var bundle0 = await _hub.Http.GetByteArrayAsync("/tile/entries/000");
        Assert.Equal(256 * 32, tile0.Length);
        Assert.Equal(44 * 32, tile1.Length);

        // Leaf hashes recomputed from the entry bundle are the tile's hashes, and the tiles give the checkpoint's root.
        var offset = 0;
        for (var i = 0; i < 256; i++)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(bundle0.AsSpan(offset));
            var leafHash = Rfc9162.HashLeaf(bundle0.AsSpan(offset + 2, length));
            Assert.Equal(tile0.AsSpan(i * 32, 32).ToArray(), leafHash);
            offset += 2 + length;
        }

        Assert.Equal(bundle0.Length, offset);
        var leaves = Enumerable.Range(0, 256).Select(i => tile0.AsSpan(i * 32, 32).ToArray())
            .Concat(Enumerable.Range(0, 44).Select(i => tile1.AsSpan(i * 32, 32).ToArray())).ToList();
        Assert.Equal(checkpoint.RootHash, Log.ReferenceTree.Root(leaves, 0, 300));
        Assert.Equal(HttpStatusCode.NotFound, (await _hub.Http.GetAsync("/tile/0/001")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _hub.Http.GetAsync("/tile/1/000")).StatusCode);
    }

    [Theory]
    [InlineData("/v1/log/entries/abc", 400)]
    [InlineData("/v1/log/entries/-1", 400)]
    [InlineData("/v1/log/entries/99999999999999999999999", 400)]
    [InlineData("/v1/log/entries/100000", 404)]
    [InlineData("/v1/log/proof/inclusion", 400)]
    [InlineData("/v1/log/proof/inclusion?index=x", 400)]
    [InlineData("/v1/log/proof/inclusion?index=300", 400)]
    [InlineData("/v1/log/proof/inclusion?index=1&size=100000", 400)]
    [InlineData("/v1/log/proof/inclusion?index=1&size=0", 400)]
    [InlineData("/v1/log/proof/inclusion-by-hash?hash=zz", 400)]
    [InlineData("/v1/log/proof/inclusion-by-hash?hash=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 404)]
    [InlineData("/v1/log/proof/consistency?old=0", 400)]
    [InlineData("/v1/log/proof/consistency?old=10&new=5", 400)]
    [InlineData("/v1/log/proof/consistency?old=10&new=99999", 400)]
    [InlineData("/v1/log/proof/bundle/300", 404)]
    [InlineData("/v1/log/proof/bundle/%2e%2e%2f%2e%2e%2fetc", 400)]
    [InlineData("/tile/0/x", 400)]
    [InlineData("/tile/99/000", 400)]
    [InlineData("/tile/0/..%2F..%2Fetc%2Fpasswd", 400)]
    [InlineData("/tile/entries/005", 404)]
    public async Task BadArguments_GetProblemDetails_NeverAServerError(string path, int status)
    {
        var response = await _hub.Http.GetAsync(path);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<(Checkpoint Checkpoint, NoteVerifier Verifier)> ReadCheckpointAsync()
    {
        var vkey = (await _hub.Http.GetStringAsync("/v1/log/key")).Trim();
        Assert.True(NoteVerifier.TryParse(vkey, out var verifier, out var why), why);
        var note = await _hub.Http.GetStringAsync("/v1/log/checkpoint");
        var opened = SignedNote.Open(note, [verifier!]);
        Assert.True(opened.IsVerified, opened.Reason);
        Assert.True(Checkpoint.TryParse(opened.Text!, out var checkpoint, out _));
        return (checkpoint, verifier!);
    }

    private static List<byte[]> Hashes(JsonElement array) =>
        array.EnumerateArray().Select(e => Convert.FromBase64String(e.GetString()!)).ToList();
}
