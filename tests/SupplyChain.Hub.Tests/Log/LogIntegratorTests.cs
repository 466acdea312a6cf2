using LiteDB;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Tests.Log;

public sealed class LogIntegratorTests
{
    [Fact]
    public async Task IntegrateOnce_EmptyLog_SignsACheckpointOfSizeZero()
    {
        await using var log = await LogHarness.StartAsync();
        Assert.Equal(0, log.Integrator.IntegrateOnce());

        var opened = SignedNote.Open(log.Head.Current!.Note, [log.Key.Verifier]);
        Assert.True(opened.IsVerified);
        Assert.True(Checkpoint.TryParse(opened.Text!, out var checkpoint, out _));
        Assert.Equal(0, checkpoint.Size);
        Assert.Equal(Rfc9162.EmptyRoot.ToArray(), checkpoint.RootHash);
    }

    [Fact]
    public async Task IntegrateOnce_AfterAppends_SignsACheckpointWhoseRootCoversEveryEntry()
    {
        await using var log = await LogHarness.StartAsync(options: new LogOptions { IntegrationChunk = 256 });
        var leaves = new List<byte[]>();
        for (var i = 0; i < 1000; i++)
        {
            await log.AppendAsync($"decision {i}");
            leaves.Add(Rfc9162.HashLeaf([(byte)LogLeafKind.HubDecision, .. System.Text.Encoding.UTF8.GetBytes($"decision {i}")]));
        }

        Assert.Equal(1000, log.Integrator.IntegrateOnce());
        var opened = SignedNote.Open(log.Head.Current!.Note, [log.Key.Verifier]);
        Assert.True(opened.IsVerified, opened.Reason);
        Assert.True(Checkpoint.TryParse(opened.Text!, out var checkpoint, out _));
        Assert.Equal(new LogOptions().Origin, checkpoint.Origin);
        Assert.Equal(ReferenceTree.Root(leaves, 0, 1000), checkpoint.RootHash);

        // Chunks of 256 leave one stored checkpoint per chunk, each consistent with the next.
        var stored = log.Store.ReadCheckpoints().Select(c => c.Size).ToList();
        Assert.Equal([0L, 256, 512, 768, 1000], stored);
    }

    [Fact]
    public async Task ProofBundle_ForAnEntry_VerifiesOfflineWithOnlyTheVerifierKey()
    {
        await using var log = await LogHarness.StartAsync();
        for (var i = 0; i < 40; i++)
        {
            await log.AppendAsync($"decision {i}");
        }

        log.Integrator.IntegrateOnce();
        var bundle = log.Reader.ProofBundle(17)!;

        Assert.True(TlogProof.TryParse(bundle, out var proof, out var reason), reason);
        Assert.True(NoteVerifier.TryParse(log.Key.VerifierKey, out var verifier, out _));
        var leafHash = LogReader.LeafHash(log.Store.ReadEntry(17)!);
        Assert.True(proof!.Verify(leafHash, [verifier!]).IsValid);
        Assert.False(proof.Verify(LogReader.LeafHash(log.Store.ReadEntry(18)!), [verifier!]).IsValid);
    }

    [Fact]
    public async Task Startup_TamperedCheckpointRoot_RefusesToStart()
    {
        var directory = LogHarness.NewDirectory();
        await using (var log = await LogHarness.StartAsync(directory))
        {
            for (var i = 0; i < 10; i++)
            {
                await log.AppendAsync($"decision {i}");
            }

            log.Integrator.IntegrateOnce();
        }

        using (var db = new LiteDatabase(Path.Combine(directory, "log.db")))
        {
            var tiles = db.GetCollection("tiles");
            var tile = tiles.FindById(new TileId(0, 0).Key);
            var hashes = tile["h"].AsBinary;
            hashes[3] ^= 1;
            tile["h"] = hashes;
            tiles.Update(tile);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LogHarness.StartAsync(directory));
        Assert.Contains("root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_CheckpointSignedByAnotherKey_RefusesToStart()
    {
        var directory = LogHarness.NewDirectory();
        await using (var log = await LogHarness.StartAsync(directory))
        {
            await log.AppendAsync("decision");
            log.Integrator.IntegrateOnce();
        }

        File.Delete(Path.Combine(directory, HubSigningKey.FileName));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LogHarness.StartAsync(directory));
        Assert.Contains("signature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HubSigningKey_NewKey_IsOwnerOnly()
    {
        var directory = LogHarness.NewDirectory();
        HubSigningKey.LoadOrCreate(directory, "example.org/log");
        var mode = File.GetUnixFileMode(Path.Combine(directory, HubSigningKey.FileName));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public void HubSigningKey_OriginChanged_IsRefused()
    {
        var directory = LogHarness.NewDirectory();
        HubSigningKey.LoadOrCreate(directory, "example.org/log");
        Assert.Throws<InvalidOperationException>(() => HubSigningKey.LoadOrCreate(directory, "example.org/other"));
    }
}
