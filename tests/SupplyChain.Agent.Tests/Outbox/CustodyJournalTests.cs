using System.Text.RegularExpressions;
using SupplyChain.Agent.Outbox;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Agent.Tests.Outbox;

/// <summary>
/// The custody journal (<c>outbox.journal</c>, docs/RELIABILITY.md "Torn or corrupt journal"): what a crash leaves in it
/// and how the next open reads it, on real files.
/// </summary>
public sealed partial class CustodyJournalTests
{
    [Fact]
    public void Open_AfterCrashWithJournaledEvents_EachReplayedIntoStoreExactlyOnce()
    {
        using var fixture = new OutboxFixture();
        var confirmed = new List<AppendResult> { fixture.AppendShip("A0") };
        Assert.Equal(1, fixture.Outbox.MoveJournal());
        confirmed.Add(fixture.AppendShip("A1"));
        confirmed.Add(fixture.AppendShip("A2"));

        var outbox = fixture.Crash();

        Assert.Equal(0, outbox.Unmoved);
        AssertPendingChain(outbox, confirmed);
        outbox = fixture.Crash();
        AssertPendingChain(outbox, confirmed);
        Assert.Equal(3, fixture.AppendShip("A3").Seq);
    }

    [Fact]
    public void Open_TornTail_CutAndEveryWholeRecordKept()
    {
        using var fixture = new OutboxFixture();
        var confirmed = new List<AppendResult> { fixture.AppendShip("A0"), fixture.AppendShip("A1") };
        var start = CustodyJournal.FileHeaderBytes + fixture.Outbox.JournalLength;
        fixture.AppendShip("A2");
        var end = CustodyJournal.FileHeaderBytes + fixture.Outbox.JournalLength;

        // The last append cut off half-way: only the first half of its record reached the disk (the rest is still the
        // zeros it was written over), so it was never confirmed.
        var outbox = fixture.Crash(_ =>
        {
            var bytes = File.ReadAllBytes(fixture.JournalPath);
            Array.Clear(bytes, (int)(start + ((end - start) / 2)), (int)((end - start) / 2));
            File.WriteAllBytes(fixture.JournalPath, bytes);
        });

        Assert.Null(outbox.JournalMovedAside);
        AssertPendingChain(outbox, confirmed);
        Assert.Equal(2, fixture.AppendShip("B2").Seq);
    }

    [Fact]
    public void Open_ZeroFilledTail_CutNotMovedAside()
    {
        // What a file system that extended the file but not yet wrote the data shows after a power cut.
        using var fixture = new OutboxFixture();
        var confirmed = new List<AppendResult> { fixture.AppendShip("A0"), fixture.AppendShip("A1") };

        var outbox = fixture.Crash(_ =>
        {
            using var journal = new FileStream(fixture.JournalPath, FileMode.Append);
            journal.Write(new byte[4096]);
        });

        Assert.Null(outbox.JournalMovedAside);
        AssertPendingChain(outbox, confirmed);
        Assert.Equal(2, fixture.AppendShip("B2").Seq);
    }

    [Fact]
    public void Open_CorruptRecordBeforeWholeOnes_MovedAsideAndChainRestartsAboveTheReservation()
    {
        using var fixture = new OutboxFixture();
        var first = fixture.AppendShip("A0");
        var recordStart = CustodyJournal.FileHeaderBytes + fixture.Outbox.JournalLength;
        fixture.AppendShip("A1");
        fixture.AppendShip("A2");

        // A bit flipped inside A1's record: A2 after it is whole, so this is damage, not a torn tail.
        var outbox = fixture.Crash(_ =>
        {
            var bytes = File.ReadAllBytes(fixture.JournalPath);
            bytes[recordStart + 60] ^= 0x10;
            File.WriteAllBytes(fixture.JournalPath, bytes);
        });
        var next = fixture.AppendShip("B1");

        Assert.NotNull(outbox.JournalMovedAside);
        Assert.Matches(CorruptName(), Path.GetFileName(outbox.JournalMovedAside));
        Assert.True(File.Exists(outbox.JournalMovedAside));
        Assert.True(next.Seq >= SeqReservation.BlockSize, $"seq {next.Seq} may repeat one signed in the lost records");
        var pending = outbox.TakePending(10, OutboxKinds.All);
        Assert.Equal([0L, next.Seq], pending.Select(e => e.Seq));
        Assert.Equal(first.EventId, pending[0].EventId);
        Assert.True(pending[1].StartsChain);
    }

    [Fact]
    public void Open_AfterStartOver_OlderRecordsBehindTheNewOnesSkippedNotDuplicated()
    {
        // After a move the journal starts over at offset 0: a new record overwrites the first old one, and the records the
        // store already holds lie behind it when the power goes.
        using var fixture = new OutboxFixture();
        var confirmed = new List<AppendResult> { fixture.AppendShip("A0"), fixture.AppendShip("A1"), fixture.AppendShip("A2") };
        Assert.Equal(3, fixture.Outbox.MoveJournal());
        Assert.Equal(0, fixture.Outbox.JournalLength);
        confirmed.Add(fixture.AppendShip("A3"));

        var outbox = fixture.Crash();

        Assert.Null(outbox.JournalMovedAside);
        AssertPendingChain(outbox, confirmed);
        Assert.Equal(4, outbox.ReadStatus().PendingCustody);
    }

    [Fact]
    public void Open_RightAfterStartOver_RecordsTheStoreHoldsSkipped()
    {
        using var fixture = new OutboxFixture();
        var confirmed = new List<AppendResult> { fixture.AppendShip("A0"), fixture.AppendShip("A1") };
        Assert.Equal(2, fixture.Outbox.MoveJournal());

        var outbox = fixture.Crash();

        Assert.Null(outbox.JournalMovedAside);
        AssertPendingChain(outbox, confirmed);
        Assert.Equal(2, fixture.AppendShip("A2").Seq);
    }

    [Fact]
    public void Open_StoreCorruptWithEventsOnlyInJournal_ResignedOntoTheFreshChain()
    {
        using var fixture = new OutboxFixture();
        fixture.AppendShip("A0");
        fixture.Outbox.MoveJournal();
        var journaled = new[] { fixture.AppendShip("A1"), fixture.AppendShip("A2") };

        var outbox = fixture.Crash(directory =>
        {
            var garbage = new byte[64 * 1024];
            new Random(5).NextBytes(garbage);
            File.WriteAllBytes(Path.Combine(directory, EventOutbox.FileName), garbage);
        });

        Assert.NotNull(outbox.MovedAside);
        var pending = outbox.TakePending(10, OutboxKinds.All);
        Assert.Equal(2, pending.Count);
        Assert.True(pending[0].Seq >= SeqReservation.BlockSize);
        Assert.True(pending[0].StartsChain);
        Assert.Equal(pending[0].Seq + 1, pending[1].Seq);
        Assert.Equal(pending[0].EventId, Decode(pending[1]).Device.Prev);
        Assert.Equal(["A1", "A2"], pending.Select(e => SerialOf(Decode(e))));
        Assert.DoesNotContain(pending, e => journaled.Any(j => j.EventId == e.EventId));
        Assert.Equal(pending[1].Seq + 1, fixture.AppendShip("A3").Seq);
    }

    [Fact]
    public void Open_StoreCorruptAfterEverythingMoved_RecordsTheStoreHeldNotSentAgain()
    {
        // The records are still in the journal's bytes after the start-over, but its header says the store had them: they
        // went with the store (and may have been delivered), so they are not re-signed as new events.
        using var fixture = new OutboxFixture();
        fixture.AppendShip("A0");
        fixture.AppendShip("A1");
        Assert.Equal(2, fixture.Outbox.MoveJournal());

        var outbox = fixture.Crash(directory => File.WriteAllBytes(Path.Combine(directory, EventOutbox.FileName), new byte[8192]));

        Assert.NotNull(outbox.MovedAside);
        Assert.Empty(outbox.TakePending(10, OutboxKinds.All));
        Assert.True(fixture.AppendShip("B0").Seq >= SeqReservation.BlockSize);
    }

    [Fact]
    public void MarkRejected_LaterEventsOnlyInJournal_MovedOntoTheNewChainAndPrevReset()
    {
        using var fixture = new OutboxFixture();
        var rejected = fixture.AppendShip("A0");
        fixture.AppendShip("A1");
        Assert.Equal(2, fixture.Outbox.TakePending(10, OutboxKinds.All).Count);
        fixture.AppendShip("A2");
        Assert.Equal(1, fixture.Outbox.Unmoved);

        var result = fixture.Outbox.MarkRejected([new Rejection(rejected.EventId, RejectReason.BadSignature)]);
        var unmovedAfter = fixture.Outbox.Unmoved;
        var next = fixture.AppendShip("A3");

        Assert.Equal(new RejectionResult(1, 2, 3), result);
        Assert.Equal(0, unmovedAfter);
        Assert.Equal(5, next.Seq);
        var pending = fixture.Outbox.TakePending(10, OutboxKinds.All);
        Assert.Equal([3L, 4L, 5L], pending.Select(e => e.Seq));
        Assert.True(Decode(pending[0]).Device.Prev.IsNone);
        Assert.Equal(pending[0].EventId, Decode(pending[1]).Device.Prev);
        Assert.Equal(pending[1].EventId, Decode(pending[2]).Device.Prev);
        Assert.Equal(["A1", "A2", "A3"], pending.Select(e => SerialOf(Decode(e))));
    }

    [Fact]
    public async Task TakePending_ScansJournaledWhileSensorReportsChain_EverySeqHandedOutInOrderNoneSkipped()
    {
        // Scans go on from another thread while delivery takes events and sensor reports are chained: every event
        // handed out is the next seq after the last one, whether it was still only in the journal or not.
        using var fixture = new OutboxFixture();
        const int Scans = 300;
        var scanning = Task.Run(() =>
        {
            for (var i = 0; i < Scans; i++)
            {
                Assert.True(fixture.AppendShip($"S{i:D4}").IsAppended);
            }
        });

        var next = 0L;
        var custody = 0;
        var sensor = 0;
        while (custody < Scans)
        {
            fixture.AppendReport(5m);
            foreach (var entry in fixture.Outbox.TakePending(7, OutboxKinds.All, next - 1))
            {
                Assert.Equal(next, entry.Seq);
                next++;
                _ = entry.Kind == OutboxKind.Custody ? custody++ : sensor++;
            }

            if (scanning.IsFaulted)
            {
                await scanning;
            }
        }

        await scanning;
        Assert.True(sensor > 0);
        Assert.Equal(next, fixture.Outbox.ReadStatus().NextSeq);
    }

    [Fact]
    public void Append_QuotaCountsEventsStillOnlyInJournal()
    {
        using var fixture = new OutboxFixture(new OutboxOptions { MaxCustodyEvents = 2 });
        fixture.AppendShip("A0");
        fixture.AppendShip("A1");

        var refused = fixture.AppendShip("A2");

        Assert.Equal(AppendStatus.QuotaFull, refused.Status);
        Assert.Equal(2, fixture.Outbox.Unmoved);
        Assert.Equal(2, fixture.Outbox.ReadStatus().NextSeq);
    }

    private static void AssertPendingChain(EventOutbox outbox, IReadOnlyList<AppendResult> confirmed)
    {
        var pending = outbox.TakePending(100, OutboxKinds.All);
        Assert.Equal(confirmed.Select(c => c.Seq), pending.Select(e => e.Seq));
        Assert.Equal(confirmed.Select(c => c.EventId), pending.Select(e => e.EventId));
        var prev = EventId.None;
        foreach (var entry in pending)
        {
            Assert.Equal(prev, Decode(entry).Device.Prev);
            prev = entry.EventId;
        }
    }

    private static CustodyEvent Decode(OutboxEntry entry)
    {
        Assert.True(EnvelopeCodec.TryDecode(entry.Envelope.Span, out var envelope, out var error), error.ToString());
        Assert.True(EventCodec.TryDecode(envelope!.Payload.Span, out var decoded, out var eventError), eventError.ToString());
        return decoded!;
    }

    private static string SerialOf(CustodyEvent custodyEvent) =>
        custodyEvent.Epcs.Single()[(custodyEvent.Epcs.Single().LastIndexOf('/') + 1)..];

    [GeneratedRegex(@"^outbox\.journal\.corrupt-\d{14}$")]
    private static partial Regex CorruptName();
}
