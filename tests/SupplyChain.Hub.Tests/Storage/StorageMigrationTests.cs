using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiteDB;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Ingest;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.Custody;
using SupplyChain.Hub.Tests.Log;
using SupplyChain.Hub.Tests.Users;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Tests.Storage;

/// <summary>
/// <c>storage migrate</c> (issue #10): a real LiteDB hub, fed by enrolled MQTT devices, moved into a real PostgreSQL and
/// started there; and the copies that must be refused or must fail their verification.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class StorageMigrationTests(PostgresCluster cluster)
{
    private const int SensorReports = 3000;
    private const string Fridge = "https://id.gs1.org/8004/9506000134352FRIDGE1";

    [Fact]
    public async Task Migrate_LiteDbHubWithThousandsOfEvents_PostgresHubServesTheSameLogAndStateAndContinuesTheChains()
    {
        var data = Directory.CreateTempSubdirectory("coldtrace-migrate-").FullName;
        var target = await cluster.NewDatabaseAsync();
        var hub = await RunningHub.StartAsync(data);
        await using var sites = await ChainSites.EnrolAsync(hub);
        await using var fridge = await ChainDevice.EnrolAsync(hub, "fridge-1", ChainSites.WholesalerGln, "sensor");
        await using var spare = await ChainDevice.EnrolAsync(hub, "spare-1", ChainSites.MakerGln, "manufacturer");
        Assert.True((await hub.Service<Hub.Devices.DeviceEnrolment>().RevokeAsync("spare-1", "lost in transit", "test", CancellationToken.None)).IsSuccess);
        await sites.DeliverToPharmacyAsync("S1", "S2", "S3");
        using var quality = ApiUser.Add(hub, "quinn", "quality");
        using var admin = ApiUser.Add(hub, "ada", "admin");
        using var pharmacist = ApiUser.Add(hub, "anna", "pharmacist");
        using var gone = ApiUser.Add(hub, "gone", "auditor");
        Assert.True(UserName.TryParse(gone.Name, out var goneName, out _));
        Assert.True(hub.Service<IUserStore>().TryRevoke(goneName, hub.Service<TimeProvider>().GetUtcNow()));
        var recall = await (await quality.Http.PostAsJsonAsync("/v1/recalls", new { scope = new { type = "lot", gtin = ChainDevice.Gtin, lot = ChainDevice.Lot }, reason = "supplier notice 42" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var recallId = recall.GetProperty("recallId").GetString()!;

        // Thousands of real signed events through the real ingest, in batches as an agent drains its outbox.
        var reports = new List<Envelope>();
        for (var sent = 0; sent < SensorReports; sent += 100)
        {
            var batch = Enumerable.Range(0, 100).Select(_ => fridge.Next((time, stamp) =>
                CustodyEvents.ReportTemperatures(time, stamp, fridge.SiteUri, Fridge, [new TemperatureSample(time, 5m)]))).ToList();
            await fridge.Mqtt.PublishAsync(EventMessage.EncodeBatch(batch));
            Assert.All(await fridge.Mqtt.AcksAsync(batch.Count), ack => Assert.Equal(AckStatus.Accepted, ack.Status));
            reports.AddRange(batch);
        }

        var before = await SnapshotAsync(hub, quality, admin, pharmacist, gone, recallId);
        Assert.True(before.Size > SensorReports, $"only {before.Size} entries");

        // While the hub runs, its files are held: the migration refuses and copies nothing.
        var whileRunning = await RunAsync("storage", "migrate", "--data", data, "--postgres", target);
        Assert.Equal(2, whileRunning.Exit);
        Assert.Contains("stop the hub", whileRunning.Error, StringComparison.Ordinal);
        await hub.DisposeAsync();

        var migrated = await RunAsync("storage", "migrate", "--data", data, "--postgres", target);
        Assert.True(migrated.Exit == 0, migrated.Output + migrated.Error);
        Assert.Contains($"entries {before.Size:N0} / {before.Size:N0} (100.0 %)", migrated.Output, StringComparison.Ordinal);
        Assert.Contains($"{Convert.ToBase64String(before.Root)} = the latest signed checkpoint's root", migrated.Output, StringComparison.Ordinal);
        Assert.Contains("audit clean", migrated.Output, StringComparison.Ordinal);

        // Run again into the now filled database: refused, and the copy is untouched.
        var again = await RunAsync("storage", "migrate", "--data", data, "--postgres", target);
        Assert.Equal(2, again.Exit);
        Assert.Contains("not empty", again.Error, StringComparison.Ordinal);

        // The PostgreSQL hub gets only the hub key from the old data directory: everything else comes from the database.
        var fresh = Directory.CreateTempSubdirectory("coldtrace-migrated-").FullName;
        File.Copy(Path.Combine(data, HubSigningKey.FileName), Path.Combine(fresh, HubSigningKey.FileName));
        await using var moved = await RunningHub.StartAsync(fresh, "--Storage:Backend=Postgres", $"--Storage:ConnectionString={target}");
        using var quality2 = ApiUser.WithToken(moved, quality.Name, quality.Token);
        using var admin2 = ApiUser.WithToken(moved, admin.Name, admin.Token);
        using var pharmacist2 = ApiUser.WithToken(moved, pharmacist.Name, pharmacist.Token);
        using var gone2 = ApiUser.WithToken(moved, gone.Name, gone.Token);
        var after = await SnapshotAsync(moved, quality2, admin2, pharmacist2, gone2, recallId);

        Assert.Equal(before.Size, after.Size);
        Assert.Equal(before.Root, after.Root);
        Assert.Equal(before.Note, after.Note);
        Assert.Equal(before.Leaves.Count, after.Leaves.Count);
        for (var i = 0; i < before.Leaves.Count; i++)
        {
            Assert.True(before.Leaves[i].AsSpan().SequenceEqual(after.Leaves[i]), $"entry {i} differs");
        }

        Assert.Equal(before.Heads, after.Heads);
        Assert.Equal(before.Api, after.Api);

        // The chains go on from the right seq: new events are green at the next indexes, an old one is a duplicate.
        await sites.ReconnectAsync(moved);
        await fridge.ReconnectAsync(moved);
        var commissioned = await sites.Maker.SendGreenAsync(sites.Maker.Commission("N1"));
        var reported = await fridge.SendGreenAsync(fridge.Next((time, stamp) =>
            CustodyEvents.ReportTemperatures(time, stamp, fridge.SiteUri, Fridge, [new TemperatureSample(time, 6m)])));
        var resent = await fridge.SendAsync(reports[1234]);
        Assert.Equal([before.Size, before.Size + 1], new[] { commissioned.Index!.Value, reported.Index!.Value }.Order());
        Assert.Equal(AckStatus.Accepted, resent.Status);
        Assert.Equal(before.Leaves.FindIndex(leaf => leaf.AsSpan(1).SequenceEqual(EnvelopeCodec.Encode(reports[1234]))), resent.Index);
        var head = moved.Service<LogHead>();
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while ((head.Current?.Size ?? 0) < before.Size + 2)
            {
                await Task.Delay(50, wait.Token);
            }
        }

        var audit = await RunAsync("log", "audit", "--data", fresh, "--postgres", target);
        Assert.Equal(0, audit.Exit);
    }

    [Fact]
    public async Task Migrate_BadSourcesAndTargets_RefusedOrFailedAndTheTargetLeftEmpty()
    {
        var data = LogHarness.NewDirectory();
        await using (var log = await LogHarness.StartAsync(data, new LogOptions { IntegrationChunk = 256 }))
        {
            await Task.WhenAll(Enumerable.Range(0, 700).Select(i => log.AppendAsync($"{{\"decision\":\"note\",\"n\":{i}}}")));
            log.Integrator.IntegrateOnce();
        }

        // No hub in the directory (and none is created there).
        var empty = LogHarness.NewDirectory();
        var missing = await RunAsync("storage", "migrate", "--data", empty, "--postgres", await cluster.NewDatabaseAsync());
        Assert.Equal(2, missing.Exit);
        Assert.Contains("log.db is missing", missing.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(empty));

        // A target that already holds a hub's data.
        var used = await cluster.NewDatabaseAsync();
        await using (var dataSource = Hub.Storage.PostgresOption.Open(used))
        {
            new Hub.Users.PostgresUserStore(dataSource).TryAdd(new UserRecord(UserName.TryParse("someone", out var user, out _) ? user : default, UserRole.Admin, "hash", DateTimeOffset.UnixEpoch));
        }

        var full = await RunAsync("storage", "migrate", "--data", data, "--postgres", used);
        Assert.Equal(2, full.Exit);
        Assert.Contains("not empty (users hold rows)", full.Error, StringComparison.Ordinal);

        // One entry altered in the source (its bytes; the stored leaf hash left as it was): the recomputed root differs
        // from the signed checkpoint's, nothing is committed.
        var altered = CopyDirectory(data);
        var leaves = File.ReadAllBytes(Path.Combine(altered, "log.leaves"));
        var at = leaves.AsSpan().IndexOf("\"n\":345}"u8);
        Assert.True(at > 0);
        leaves[at + 5] ^= 1;
        File.WriteAllBytes(Path.Combine(altered, "log.leaves"), leaves);

        var target = await cluster.NewDatabaseAsync();
        var failed = await RunAsync("storage", "migrate", "--data", altered, "--postgres", target);
        Assert.Equal(1, failed.Exit);
        Assert.Contains("the root of the copied entries at size 700", failed.Error, StringComparison.Ordinal);
        Assert.Contains("entry 345's bytes do not hash to its stored leaf hash", failed.Error, StringComparison.Ordinal);
        Assert.Contains("still empty", failed.Error, StringComparison.Ordinal);

        // One stored tile altered in the source: the entries and the root verify, so the copy is committed, but its
        // audit fails (the tile is not the tree rebuilt from the entries) and the database is emptied again.
        var badTile = CopyDirectory(data);
        using (var db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(badTile, "log.db"), Connection = ConnectionType.Direct }))
        {
            var tiles = db.GetCollection("tiles");
            var tile = tiles.FindById(new TileId(0, 1).Key);
            var hashes = tile["h"].AsBinary;
            hashes[100] ^= 1;
            tile["h"] = hashes;
            Assert.True(tiles.Update(tile));
        }

        var audited = await RunAsync("storage", "migrate", "--data", badTile, "--postgres", target);
        Assert.Equal(1, audited.Exit);
        Assert.Contains("= the latest signed checkpoint's root", audited.Output, StringComparison.Ordinal);
        Assert.Contains("the audit of the PostgreSQL copy failed at entry 259", audited.Error, StringComparison.Ordinal);
        Assert.Contains("emptied again", audited.Error, StringComparison.Ordinal);

        // The same target takes the good source afterwards: the failed runs left nothing behind.
        var good = await RunAsync("storage", "migrate", "--data", data, "--postgres", target);
        Assert.True(good.Exit == 0, good.Output + good.Error);

        // A damaged file: the first pages overwritten.
        var corrupt = CopyDirectory(data);
        await using (var file = new FileStream(Path.Combine(corrupt, "log.db"), FileMode.Open, FileAccess.Write))
        {
            await file.WriteAsync(Enumerable.Repeat((byte)0x5A, 16384).ToArray());
        }

        var broken = await RunAsync("storage", "migrate", "--data", corrupt, "--postgres", await cluster.NewDatabaseAsync());
        Assert.True(broken.Exit == 2, broken.Output + broken.Error);
        Assert.Contains("do not read", broken.Error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await HubCommandLine.Build().Parse(arguments).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private static string CopyDirectory(string source)
    {
        var copy = LogHarness.NewDirectory();
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    /// <summary>What the hub holds and answers once its checkpoint covers every sequenced entry.</summary>
    private static async Task<HubSnapshot> SnapshotAsync(RunningHub hub, ApiUser quality, ApiUser admin, ApiUser pharmacist, ApiUser revoked, string recallId)
    {
        var store = hub.Service<ILogStore>();
        var head = hub.Service<LogHead>();
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while ((head.Current?.Size ?? -1) < store.ReadState().SequencedSize)
            {
                await Task.Delay(50, wait.Token);
            }
        }

        var checkpoint = store.ReadLatestCheckpoint()!;
        var leaves = store.ReadEntries(0, (int)store.ReadState().SequencedSize).Select(e => e.Leaf).ToList();
        var heads = hub.Service<IChainHeadStore>().ReadAll().Select(h => $"{h.Key}:{h.Value.Seq}:{h.Value.EventId}").ToList();
        List<string> api =
        [
            await admin.Http.GetStringAsync("/v1/devices"),
            await quality.Http.GetStringAsync("/v1/recalls"),
            await quality.Http.GetStringAsync($"/v1/recalls/{recallId}"),
            await quality.Http.GetStringAsync("/v1/me"),
            await pharmacist.Http.GetStringAsync("/v1/me"),
            await hub.Http.GetStringAsync($"/v1/packs/{ChainDevice.Gtin}/S1/verification?site={ChainSites.PharmacyGln}") is var verification
                ? StripProof(verification) : string.Empty,
            ((int)(await revoked.Http.GetAsync("/v1/me")).StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        Assert.Equal(HttpStatusCode.Unauthorized, (HttpStatusCode)int.Parse(api[^1], System.Globalization.CultureInfo.InvariantCulture));
        return new HubSnapshot(checkpoint.Size, checkpoint.RootHash, checkpoint.Note, leaves, heads, api);
    }

    /// <summary>The verification answer without its time-dependent parts (the proof bundle names the checkpoint, kept).</summary>
    private static string StripProof(string json)
    {
        var answer = JsonDocument.Parse(json).RootElement;
        return string.Join('|', answer.GetProperty("verified").GetBoolean(), answer.GetProperty("status").GetString(),
            string.Join(',', answer.GetProperty("reasons").EnumerateArray().Select(r => r.ToString())), answer.GetProperty("custody").ToString());
    }

    private sealed record HubSnapshot(long Size, byte[] Root, string Note, List<byte[]> Leaves, List<string> Heads, List<string> Api);
}
