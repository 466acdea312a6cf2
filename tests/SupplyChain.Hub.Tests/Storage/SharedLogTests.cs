using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Ingest;
using SupplyChain.Hub.Log;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Hub.Tests.Storage;

/// <summary>
/// Several hubs on one PostgreSQL log (issue #10 item 2): device chains decided in the sequencing transaction, the
/// integrator's advisory lock, and the fence that stops a second integrator. Real PostgreSQL, separate data sources per hub.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class SharedLogTests(PostgresCluster cluster)
{
    private static readonly DeviceId Dock = Device("dock-a");

    [Fact]
    public async Task Sequence_ChainLinks_OnlyTheNextLinkStoredAndTheHeadMovesWithIt()
    {
        await using var place = await StorePlace.CreateAsync(Backend.Postgres, cluster);
        using var store = place.OpenLog();
        var first = Event("first", 0, EventId.None);
        var second = Event("second", 1, first.Link!.Id);

        Assert.True(store.KeepsChains);
        Assert.Equal(
            [new(0, false), SequenceResult.Refuse(ChainPlacement.Ahead)],
            store.Sequence([first, Event("third", 2, second.Link!.Id)]));
        Assert.Equal(
            [SequenceResult.Refuse(ChainPlacement.Fork), SequenceResult.Refuse(ChainPlacement.Broken), new(0, true), new(1, false)],
            store.Sequence([Event("other first", 0, EventId.None), Event("bad prev", 1, EventId.Compute("x"u8)), first, second]));
        Assert.Equal(new ChainHead(1, second.Link!.Id), place.OpenChains().Read(Dock));

        // A device that lost its store restarts at a reserved higher seq with a zero prev: stored, head moves on.
        var restart = Event("restart", 1000, EventId.None);
        Assert.Equal([new(2, false)], store.Sequence([restart]));
        Assert.Equal(new ChainHead(1000, restart.Link!.Id), place.OpenChains().Read(Dock));

        // A stale hub's head write cannot take the head back.
        place.OpenChains().Write(Dock, new ChainHead(1, second.Link!.Id));
        Assert.Equal(new ChainHead(1000, restart.Link!.Id), place.OpenChains().Read(Dock));
        Assert.Equal(new LogState(3, 0), store.ReadState());
    }

    [Fact]
    public async Task Sequence_TwoHubsRaceOneDeviceWithRivalEvents_EverySeqStoredOnceAndTheChainUnbroken()
    {
        await using var place = await StorePlace.CreateAsync(Backend.Postgres, cluster);
        using var one = place.OpenLog();
        using var two = place.OpenLog();

        // Each hub offers its own event for every seq (as a forking device would) and its rival's too (as a resend through
        // the other hub would), each as the next link of what it believes the head is; the store must keep one chain.
        var results = await Task.WhenAll(
            Task.Run(() => Race(one, place.OpenChains(), "one")),
            Task.Run(() => Race(two, place.OpenChains(), "two")));

        var stored = one.ReadEntries(0, 10_000);
        var stamps = stored.Select(e => Encoding.UTF8.GetString(e.Leaf.AsSpan(1))).ToList();
        Assert.Equal(200, stored.Count);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), stored.Select(e => e.Index));
        for (var seq = 0; seq < stamps.Count; seq++)
        {
            Assert.StartsWith($"{seq}:", stamps[seq], StringComparison.Ordinal);
        }

        Assert.Equal(200, results.Sum(r => r.Stored));
        Assert.True(results.Sum(r => r.Refused) > 0, "the race never made the store refuse a rival link");
    }

    [Fact]
    public async Task IntegratorLease_TwoHubs_OneHoldsAndTheOtherTakesOverWhenItsSessionEnds()
    {
        await using var place = await StorePlace.CreateAsync(Backend.Postgres, cluster);
        using var first = new IntegratorLease(place.OpenDataSource(), TimeProvider.System, NullLogger<IntegratorLease>.Instance);
        using var second = new IntegratorLease(place.OpenDataSource(), TimeProvider.System, NullLogger<IntegratorLease>.Instance);

        Assert.True(first.TryHold());
        Assert.False(second.TryHold());
        Assert.True(first.TryHold());
        Assert.False(second.TryHold());

        // The leader's session ends as when its process dies: PostgreSQL frees the lock; the leader notices at its next try.
        await using (var kill = place.OpenDataSource().CreateCommand(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = @low AND granted"))
        {
            kill.Parameters.AddWithValue("low", (long)(uint)(IntegratorLease.LockKey & 0xffffffff));
            Assert.Equal(true, await kill.ExecuteScalarAsync());
        }

        // pg_terminate_backend only signals the session; the lock is free once it has gone, and a hub tries every period.
        var tries = 1;
        while (!second.TryHold())
        {
            Assert.True(tries++ < 200, "the lock was not free 10 s after the leader's session was terminated");
            await Task.Delay(50);
        }

        Assert.False(first.TryHold());
        Assert.False(first.IsHeld);

        second.Release();
        Assert.True(first.TryHold());
    }

    [Fact]
    public async Task Integrate_SecondIntegratorBehindTheStore_FencedAndNothingOverwritten()
    {
        await using var place = await StorePlace.CreateAsync(Backend.Postgres, cluster);
        using var one = place.OpenLog();
        using var two = place.OpenLog();
        one.Sequence([.. Enumerable.Range(0, 4).Select(i => Event($"e{i}", i, i == 0 ? EventId.None : EventId.Compute(Encoding.UTF8.GetBytes($"e{i - 1}"))) with { Link = null })]);
        one.Integrate([new(new TileId(0, 0), new byte[4 * 32])], new StoredCheckpoint(4, [4], "note at 4"));

        Assert.Throws<IntegrationFencedException>(() => two.Integrate([new(new TileId(0, 0), new byte[3 * 32])], new StoredCheckpoint(3, [3], "note at 3")));
        Assert.Throws<IntegrationFencedException>(() => two.Integrate([new(new TileId(0, 0), new byte[4 * 32])], new StoredCheckpoint(4, [9], "other note at 4")));
        Assert.Equal("note at 4", two.ReadLatestCheckpoint()!.Note);
        Assert.Equal(4 * 32, two.ReadTile(new TileId(0, 0))!.Length);
        Assert.Equal(new LogState(4, 4), two.ReadState());
    }

    [Fact]
    public async Task Integrator_AnotherInstanceWithAnotherKey_RefusesToSignOnAndSizeZeroIsSignedOnce()
    {
        await using var place = await StorePlace.CreateAsync(Backend.Postgres, cluster);
        using var store = place.OpenLog();
        store.Sequence([.. Enumerable.Range(0, 3).Select(i => Event($"e{i}", i, i == 0 ? EventId.None : EventId.Compute(Encoding.UTF8.GetBytes($"e{i - 1}"))))]);
        var options = Microsoft.Extensions.Options.Options.Create(new LogOptions());
        using var leaseA = new IntegratorLease(place.OpenDataSource(), TimeProvider.System, NullLogger<IntegratorLease>.Instance);
        using var leaseB = new IntegratorLease(place.OpenDataSource(), TimeProvider.System, NullLogger<IntegratorLease>.Instance);
        var keyA = HubSigningKey.LoadOrCreate(place.Directory, options.Value.Origin);
        var keyB = HubSigningKey.LoadOrCreate(Directory.CreateDirectory(Path.Combine(place.Directory, "other-instance")).FullName, options.Value.Origin);
        var a = new LogIntegrator(store, new LogHead(), leaseA, keyA, options, TimeProvider.System, NullLogger<LogIntegrator>.Instance);
        var b = new LogIntegrator(place.OpenLog(), new LogHead(), leaseB, keyB, options, TimeProvider.System, NullLogger<LogIntegrator>.Instance);

        Assert.Equal(3, a.IntegrateOnce());
        store.Sequence([Event("e3", 3, EventId.Compute("e2"u8))]);
        var refused = Assert.Throws<IntegrationFencedException>(() => b.IntegrateOnce());
        Assert.Contains("does not verify with this hub's key", refused.Message, StringComparison.Ordinal);
        Assert.Equal(new LogState(4, 3), store.ReadState());

        // Two first starts at once both sign size 0: the store keeps the first note.
        await using var fresh = await StorePlace.CreateAsync(Backend.Postgres, cluster);
        using var empty = fresh.OpenLog();
        empty.Integrate([], new StoredCheckpoint(0, [0], "first note at 0"));
        Assert.Throws<IntegrationFencedException>(() => fresh.OpenLog().Integrate([], new StoredCheckpoint(0, [0], "second note at 0")));
        Assert.Equal("first note at 0", empty.ReadLatestCheckpoint()!.Note);
    }

    /// <summary>One hub's side of the race: 200 seqs, its own and the rival's event for each, until the chain is complete.</summary>
    private static (int Stored, int Refused) Race(ILogStore store, IChainHeadStore chains, string hub)
    {
        var rival = hub == "one" ? "two" : "one";
        var (stored, refused) = (0, 0);
        ChainHead? head = null;
        while (head is not { Seq: 199 })
        {
            var seq = head is { } h ? h.Seq + 1 : 0;
            var prev = head?.EventId ?? EventId.None;
            var mine = Event($"{seq}:{hub}:{prev}", seq, prev);
            var theirs = Event($"{seq}:{rival}:{prev}", seq, prev);
            var results = store.Sequence(seq % 2 == 0 ? [mine, theirs] : [theirs, mine]);
            stored += results.Count(r => r.Refused is null && !r.IsDuplicate);
            refused += results.Count(r => r.Refused is not null);

            // What this hub believes next: the head as the store has it (a worker re-reads it after any refusal).
            head = chains.Read(Dock);
        }

        return (stored, refused);
    }

    /// <summary>A device event stand-in: the leaf body is the text, the event id its SHA-256, linked at <paramref name="seq"/>.</summary>
    private static PendingEntry Event(string text, long seq, EventId prev)
    {
        var body = Encoding.UTF8.GetBytes(text);
        byte[] leaf = [(byte)LogLeafKind.DeviceEvent, .. body];
        var link = new ChainLink(Dock, new DeviceStamp(Dock.Value, seq, prev, "boot", true), EventId.Compute(body));
        return new PendingEntry(leaf, Rfc9162.HashLeaf(leaf), link);
    }

    private static DeviceId Device(string id)
    {
        Assert.True(DeviceId.TryParse(id, out var device, out var reason), reason);
        return device;
    }
}
