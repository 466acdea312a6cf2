using System.Text;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Ingest;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Storage;
using SupplyChain.Hub.Tests.Log;
using SupplyChain.Hub.Users;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Hub.Tests.Storage;

/// <summary>
/// The store contract (<see cref="ILogStore"/>, <see cref="IChainHeadStore"/>) against every backend: LiteDB files and
/// a real PostgreSQL (issue #10). The same test, the same expected answers; the RFC 9162 reference tree decides roots.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class LogStoreTests(PostgresCluster cluster)
{
    public static TheoryData<Backend> Backends => [Backend.LiteDb, Backend.Postgres];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Sequence_NewEntries_ConsecutiveIndexesKeptAcrossReopen(Backend backend)
    {
        await using var place = await StorePlace.CreateAsync(backend, cluster);
        using (var store = place.OpenLog())
        {
            Assert.Equal(new LogState(0, 0), store.ReadState());
            var results = store.Sequence([Entry("a"), Entry("b"), Entry("c")]);
            Assert.Equal([new(0, false), new(1, false), new(2, false)], results);
            Assert.Equal([new(3, false)], store.Sequence([Entry("d")]));
        }

        using (var store = place.OpenLog())
        {
            Assert.Equal(new LogState(4, 0), store.ReadState());
            Assert.Equal(["a", "b", "c", "d"], store.ReadEntries(0, 10).Select(Text));
            Assert.Equal([0L, 1, 2, 3], store.ReadEntries(0, 10).Select(e => e.Index));
            Assert.Equal(Rfc9162.HashLeaf(Entry("b").Leaf), store.ReadEntry(1)!.LeafHash);
            Assert.Null(store.ReadEntry(4));
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Sequence_SameLeafInTheBatchAndLater_DuplicatesGetTheFirstIndex(Backend backend)
    {
        await using var place = await StorePlace.CreateAsync(backend, cluster);
        using var store = place.OpenLog();
        store.Sequence([Entry("x"), Entry("y")]);

        var results = store.Sequence([Entry("z"), Entry("x"), Entry("z"), Entry("w")]);

        Assert.Equal([new(2, false), new(0, true), new(2, true), new(3, false)], results);
        Assert.Equal(new LogState(4, 0), store.ReadState());
        Assert.Equal(["x", "y", "z", "w"], store.ReadEntries(0, 10).Select(Text));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task ReadAndFind_RangesEdgesAndUnknownHashes_AnswerWhatIsStored(Backend backend)
    {
        await using var place = await StorePlace.CreateAsync(backend, cluster);
        using var store = place.OpenLog();
        store.Sequence([.. Enumerable.Range(0, 10).Select(i => Entry($"e{i}"))]);

        Assert.Equal(["e3", "e4", "e5"], store.ReadEntries(3, 3).Select(Text));
        Assert.Equal(["e8", "e9"], store.ReadEntries(8, 5).Select(Text));
        Assert.Empty(store.ReadEntries(10, 5));
        Assert.Empty(store.ReadEntries(2, 0));
        Assert.Equal(7, store.FindByLeafHash(Entry("e7").LeafHash));
        Assert.Null(store.FindByLeafHash(Entry("never").LeafHash));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Integrate_TilesAndCheckpoints_ReadBackReplacedAndKeptAcrossReopen(Backend backend)
    {
        await using var place = await StorePlace.CreateAsync(backend, cluster);
        var partial = Hashes(3);
        var full = Hashes(4);
        using (var store = place.OpenLog())
        {
            store.Sequence([.. Enumerable.Range(0, 4).Select(i => Entry($"t{i}"))]);
            Assert.Null(store.ReadTile(new TileId(0, 0)));
            Assert.Null(store.ReadLatestCheckpoint());

            store.Integrate([new(new TileId(0, 0), partial)], new StoredCheckpoint(3, [3], "note at 3"));
            store.Integrate([new(new TileId(0, 0), full), new(new TileId(1, 5), partial)], new StoredCheckpoint(4, [4], "note at 4"));
        }

        using (var store = place.OpenLog())
        {
            Assert.Equal(new LogState(4, 4), store.ReadState());
            Assert.Equal(full, store.ReadTile(new TileId(0, 0)));
            Assert.Equal(partial, store.ReadTile(new TileId(1, 5)));
            Assert.Null(store.ReadTile(new TileId(0, 1)));
            Assert.Equal([3L, 4], store.ReadCheckpoints().Select(c => c.Size));
            Assert.Equal("note at 4", store.ReadLatestCheckpoint()!.Note);
            Assert.Equal([3], store.ReadCheckpoint(3)!.RootHash);
            Assert.Null(store.ReadCheckpoint(7));
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task LogServices_1000AppendsThenRestart_RootIsTheRfc9162RootAndProofsVerify(Backend backend)
    {
        await using var place = await StorePlace.CreateAsync(backend, cluster);
        var leaves = new List<byte[]>();
        await using (var log = await LogHarness.StartAsync(place.Directory, new LogOptions { IntegrationChunk = 256 }, place.OpenLog()))
        {
            await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => log.AppendAsync($"decision {i}")));
            Assert.Equal(1000, log.Integrator.IntegrateOnce());
        }

        // A restart runs the startup check (tiles against the stored checkpoint) before anything else.
        await using (var log = await LogHarness.StartAsync(place.Directory, new LogOptions { IntegrationChunk = 256 }, place.OpenLog()))
        {
            var entries = log.Store.ReadEntries(0, 1000);
            Assert.Equal(1000, entries.Count);
            leaves.AddRange(entries.Select(LogReader.LeafHash));
            var opened = SignedNote.Open(log.Head.Current!.Note, [log.Key.Verifier]);
            Assert.True(opened.IsVerified, opened.Reason);
            Assert.True(Checkpoint.TryParse(opened.Text!, out var checkpoint, out _));
            Assert.Equal(1000, checkpoint.Size);
            Assert.Equal(ReferenceTree.Root(leaves, 0, 1000), checkpoint.RootHash);
            Assert.Equal([0L, 256, 512, 768, 1000], log.Store.ReadCheckpoints().Select(c => c.Size));

            Assert.True(TlogProof.TryParse(log.Reader.ProofBundle(654)!, out var proof, out var reason), reason);
            Assert.True(NoteVerifier.TryParse(log.Key.VerifierKey, out var verifier, out _));
            Assert.True(proof!.Verify(leaves[654], [verifier!]).IsValid);
            Assert.False(proof.Verify(leaves[655], [verifier!]).IsValid);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task ChainHeads_WrittenOneAndMany_ReadBackLatestAcrossReopen(Backend backend)
    {
        await using var place = await StorePlace.CreateAsync(backend, cluster);
        var a = Device("dock-a");
        var z = Device("Z-first-in-ordinal-order");
        var b = Device("dock-b");
        var first = new ChainHead(0, EventId.Compute("first"u8));
        var second = new ChainHead(1, EventId.Compute("second"u8));
        var other = new ChainHead(7, EventId.Compute("other"u8));

        var heads = place.OpenChains();
        Assert.Null(heads.Read(a));
        Assert.Empty(heads.ReadAll());
        heads.Write(a, first);
        heads.WriteMany([new(a, second), new(b, other)]);
        heads.Write(z, first);
        (heads as IDisposable)?.Dispose();

        heads = place.OpenChains();
        Assert.Equal(second, heads.Read(a));
        Assert.Equal(other, heads.Read(b));
        Assert.Null(heads.Read(Device("dock-c")));
        // Every head, in ordinal device-id order on both backends (what storage migrate copies).
        Assert.Equal([new(z, first), new(a, second), new(b, other)], heads.ReadAll());
        (heads as IDisposable)?.Dispose();
    }

    [Fact]
    public async Task Postgres_TwoHubsSequenceAtOnce_IndexesUniqueGaplessAndDuplicatesShared()
    {
        await using var place = await StorePlace.CreateAsync(Backend.Postgres, cluster);
        using var one = place.OpenLog();
        using var two = place.OpenLog();

        // Both hubs get batches of the same 20 shared leaves beside their own: each shared leaf is stored once.
        var results = await Task.WhenAll(
            Task.Run(() => Batches(one, "one")),
            Task.Run(() => Batches(two, "two")));

        var all = results.SelectMany(r => r).ToList();
        var stored = one.ReadEntries(0, 10_000);
        Assert.Equal(Enumerable.Range(0, stored.Count).Select(i => (long)i), stored.Select(e => e.Index));
        Assert.Equal(2 * 20 * 10 + 20, stored.Count);
        Assert.Equal(stored.Count, stored.Select(Text).Distinct().Count());
        foreach (var (text, index) in all)
        {
            Assert.Equal(text, Text(stored[(int)index]));
        }
    }

    [Fact]
    public async Task Postgres_SchemaMigratedTwiceAndAtOnce_OneVersionAndANewerOneRefused()
    {
        await using var place = await StorePlace.CreateAsync(Backend.Postgres, cluster);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => place.OpenDataSource())));
        var dataSource = place.OpenDataSource();
        await using (var count = dataSource.CreateCommand("SELECT count(*), max(version) FROM coldtrace_schema"))
        await using (var reader = await count.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(PostgresSchema.Version, reader.GetInt64(0));
            Assert.Equal(PostgresSchema.Version, reader.GetInt32(1));
        }

        await using (var newer = dataSource.CreateCommand($"INSERT INTO coldtrace_schema (version) VALUES ({PostgresSchema.Version + 1})"))
        {
            await newer.ExecuteNonQueryAsync();
        }

        var refused = Assert.Throws<InvalidOperationException>(() => place.OpenDataSource());
        Assert.Contains("Run a newer hub", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_AuditCommandOnCleanThenAlteredEntry_ExitsZeroThenOne()
    {
        await using var place = await StorePlace.CreateAsync(Backend.Postgres, cluster);
        await using (var log = await LogHarness.StartAsync(place.Directory, new LogOptions { IntegrationChunk = 256 }, place.OpenLog()))
        {
            await Task.WhenAll(Enumerable.Range(0, 300).Select(i => log.AppendAsync($"entry-{i:D5}")));
            log.Integrator.IntegrateOnce();
        }

        string[] audit = ["log", "audit", "--data", place.Directory, "--postgres", place.ConnectionString];
        Assert.Equal(0, await HubCommandLine.Build().Parse(audit).InvokeAsync());

        // One bit of one stored entry flipped in the table, as a bad disk or a hand edit would.
        await using (var flip = place.OpenDataSource().CreateCommand("UPDATE log_entries SET leaf = set_byte(leaf, 3, get_byte(leaf, 3) # 1) WHERE idx = 7"))
        {
            Assert.Equal(1, await flip.ExecuteNonQueryAsync());
        }

        Assert.Equal(1, await HubCommandLine.Build().Parse(audit).InvokeAsync());
    }

    private static List<(string Text, long Index)> Batches(ILogStore store, string hub)
    {
        var answers = new List<(string, long)>();
        for (var batch = 0; batch < 20; batch++)
        {
            var texts = Enumerable.Range(0, 10).Select(i => $"{hub}-{batch}-{i}").Append($"shared-{batch}").ToList();
            var results = store.Sequence([.. texts.Select(Entry)]);
            answers.AddRange(texts.Zip(results, (text, result) => (text, result.Index)));
        }

        return answers;
    }

    private static DeviceId Device(string id)
    {
        Assert.True(DeviceId.TryParse(id, out var device, out var reason), reason);
        return device;
    }

    private static PendingEntry Entry(string text)
    {
        byte[] leaf = [(byte)LogLeafKind.HubDecision, .. Encoding.UTF8.GetBytes(text)];
        return new PendingEntry(leaf, Rfc9162.HashLeaf(leaf));
    }

    private static string Text(StoredEntry entry) => Encoding.UTF8.GetString(entry.Leaf.AsSpan(1));

    private static byte[] Hashes(int count) => [.. Enumerable.Range(0, count * 32).Select(i => (byte)(i * 7 + count))];
}

/// <summary>The device registry and user store contract against every backend (issue #10).</summary>
[Collection(PostgresTests.Name)]
public sealed class RegistryStoreTests(PostgresCluster cluster)
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<Backend> Backends => [Backend.LiteDb, Backend.Postgres];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Devices_AddTwiceRevokeTwice_FirstWinsAndKeptAcrossReopen(Backend backend)
    {
        await using var place = await StorePlace.CreateAsync(backend, cluster);
        var dock = new DeviceRecord(Id("dock-2"), [.. Enumerable.Range(0, 32).Select(i => (byte)i)], Site("9506000134116"), DeviceRole.Warehouse, "pbkdf2$x", Noon, 4);
        var line = dock with { Id = Id("line-1"), Role = DeviceRole.Manufacturer, EnrolledIndex = 2 };

        var devices = place.OpenDevices();
        Assert.True(devices.TryAdd(dock));
        Assert.True(devices.TryAdd(line));
        Assert.False(devices.TryAdd(dock with { PasswordHash = "other" }));
        Assert.True(devices.TryRevoke(dock.Id, Noon.AddHours(1), "stolen", 9));
        Assert.False(devices.TryRevoke(dock.Id, Noon.AddHours(2), "again", 10));
        Assert.False(devices.TryRevoke(Id("nobody"), Noon, "unknown", 11));
        (devices as IDisposable)?.Dispose();

        devices = place.OpenDevices();
        var revoked = devices.Find(dock.Id)!;
        Assert.Equal((Noon.AddHours(1), "stolen", 9L), (revoked.RevokedAt!.Value, revoked.RevokedReason!, revoked.RevokedIndex!.Value));
        Assert.Equal(dock.PublicKey, revoked.PublicKey);
        Assert.Equal("pbkdf2$x", revoked.PasswordHash);
        Assert.Equal(line, devices.Find(line.Id) is { } found ? found with { PublicKey = line.PublicKey } : null);
        Assert.Equal(["dock-2", "line-1"], devices.List().Select(d => d.Id.Value));
        Assert.Null(devices.Find(Id("nobody")));
        (devices as IDisposable)?.Dispose();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Users_AddFindByTokenRevoke_KeptAcrossReopen(Backend backend)
    {
        await using var place = await StorePlace.CreateAsync(backend, cluster);
        var anna = new UserRecord(Name("anna"), UserRole.Pharmacist, "hash-anna", Noon, Site: Site("9506000134123"));
        var quinn = new UserRecord(Name("quinn"), UserRole.Quality, "hash-quinn", Noon.AddMinutes(5));

        var users = place.OpenUsers();
        Assert.True(users.TryAdd(quinn));
        Assert.True(users.TryAdd(anna));
        Assert.False(users.TryAdd(anna with { TokenHash = "hash-other" }));
        Assert.True(users.TryRevoke(quinn.Name, Noon.AddHours(1)));
        Assert.False(users.TryRevoke(quinn.Name, Noon.AddHours(2)));
        (users as IDisposable)?.Dispose();

        users = place.OpenUsers();
        Assert.Equal(anna, users.FindByTokenHash("hash-anna"));
        Assert.Equal(quinn with { RevokedAt = Noon.AddHours(1) }, users.Find(quinn.Name));
        Assert.Null(users.FindByTokenHash("hash-other"));
        Assert.Equal(["anna", "quinn"], users.List().Select(u => u.Name.Value));
        (users as IDisposable)?.Dispose();
    }

    private static DeviceId Id(string id) => DeviceId.TryParse(id, out var device, out var reason) ? device : throw new ArgumentException(reason);

    private static UserName Name(string name) => UserName.TryParse(name, out var user, out var reason) ? user : throw new ArgumentException(reason);

    private static Contracts.Gs1.Gln Site(string gln) => Contracts.Gs1.Gln.TryParse(gln, out var site, out var reason) ? site : throw new ArgumentException(reason);
}
