using SupplyChain.Agent.Outbox;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;
using SupplyChain.Hub.Tests.Storage;

namespace SupplyChain.Agent.Tests.Outbox;

/// <summary>The outbox on a real 2 MiB tmpfs that is filled and emptied (docs/RELIABILITY.md "Disk full and corrupt stores").</summary>
public sealed class DiskFullTests : IDisposable
{
    private readonly Tmpfs _disk = new(2 * 1024 * 1024);

    [Fact]
    public void Append_BelowMinimumFree_RefusedAsDiskFullUntilRoomReturns()
    {
        using var fixture = new OutboxFixture(parent: _disk.Path);
        Assert.True(fixture.AppendShip("A1").IsAppended);
        _disk.Fill(leaveBytes: 64 * 1024);

        var refused = fixture.AppendShip("A2");
        var report = fixture.AppendReport(5m);
        var whileFull = fixture.Outbox.ReadStatus();
        _disk.Unfill();
        var after = fixture.AppendShip("A3");
        var stored = fixture.AppendReport(5.5m);

        Assert.Equal(AppendStatus.DiskFull, refused.Status);
        Assert.StartsWith("disk_full: ", refused.Reason, StringComparison.Ordinal);
        Assert.False(report.Stored);
        Assert.StartsWith("disk_full: ", whileFull.Unavailable, StringComparison.Ordinal);
        Assert.Equal((1L, 1L), (whileFull.NextSeq, whileFull.Gaps));
        Assert.Equal(1, after.Seq);
        Assert.True(stored.Stored);
        Assert.Null(fixture.Outbox.ReadStatus().Unavailable);
        Assert.Equal(1, fixture.Reopen().ReadStatus().Gaps);
    }

    [Fact]
    public void MarkAcked_BelowMinimumFree_IgnoredAndTakenOnceRoomReturns()
    {
        using var fixture = new OutboxFixture(parent: _disk.Path);
        var appended = fixture.AppendShip("A1");
        _disk.Fill(leaveBytes: 64 * 1024);

        var ignored = fixture.Outbox.MarkAcked(appended.EventId, 7);
        var pendingWhileFull = fixture.Outbox.ReadStatus().PendingCustody;
        _disk.Unfill();
        var taken = fixture.Outbox.MarkAcked(appended.EventId, 7);

        Assert.False(ignored);
        Assert.Equal(1, pendingWhileFull);
        Assert.True(taken);
        Assert.Equal(0, fixture.Outbox.ReadStatus().PendingCustody);
    }

    [Fact]
    public void Open_PartPageAtTheTailOfDataAndLog_RecoveredNotMovedAside()
    {
        // What a write cut off by a full disk leaves: less than a page (8 KiB) of a page at the end of each file.
        using var fixture = new OutboxFixture(parent: _disk.Path);
        var confirmed = Enumerable.Range(0, 5).Select(i => fixture.AppendShip($"A{i}")).ToList();
        fixture.Close();
        var tail = new byte[3000];
        new Random(11).NextBytes(tail);
        using (var data = new FileStream(fixture.DatabasePath, FileMode.Append))
        {
            data.Write(tail);
        }

        File.WriteAllBytes(Path.Combine(fixture.DirectoryPath, "outbox-log.db"), tail);

        var outbox = fixture.Reopen();
        var next = fixture.AppendShip("B1");

        Assert.Null(outbox.MovedAside);
        Assert.Equal(5, next.Seq);
        AssertChainHolds(outbox, confirmed.Append(next));
    }

    [Fact]
    public void Append_JournalMeetsNoSpace_RefusedAsDiskFullAndNothingHalfWrittenReadAtOpen()
    {
        // No minimum: the journal's own write meets ENOSPC. Appends go green while the journal's zeroed space (and then its
        // last page) has room, then are refused; the refused record is cut off, so the next open finds exactly the
        // confirmed events.
        var fixture = new OutboxFixture(new OutboxOptions { MinFreeBytes = 0 }, _disk.Path);
        try
        {
            var confirmed = new List<AppendResult> { fixture.AppendShip("A0") };
            _disk.Fill();

            AppendResult refused = default;
            for (var i = 1; i < 2000; i++)
            {
                var result = fixture.AppendShip([.. Enumerable.Range(0, 20).Select(j => $"F{i:D3}{j:D3}")]);
                if (!result.IsAppended)
                {
                    refused = result;
                    break;
                }

                confirmed.Add(result);
            }

            Assert.Equal(AppendStatus.DiskFull, refused.Status);
            Assert.StartsWith("disk_full: ", refused.Reason, StringComparison.Ordinal);
            _disk.Unfill();
            var outbox = fixture.Reopen();
            var next = fixture.AppendShip("B1");
            Assert.Equal(confirmed.Count, next.Seq);
            AssertChainHolds(outbox, confirmed.Append(next));
        }
        finally
        {
            fixture.Dispose();
        }
    }

    [Fact]
    public async Task MoveJournal_LiteDbMeetsNoSpace_ClosedOrStuckAndReportedNotResponsive()
    {
        // No minimum: LiteDB itself meets ENOSPC when the mover copies the journal. LiteDB 5.0.20 then either throws (the
        // store closes, scans are refused) or leaves the commit waiting for ever in Checkpoint; the second must show as
        // "not responsive", which stops the systemd watchdog's pings. The journaled events are not lost either way. A stuck
        // outbox is left undisposed (disposing would wait too).
        var fixture = new OutboxFixture(new OutboxOptions { MinFreeBytes = 0 }, _disk.Path);
        var first = fixture.AppendShip("A0");
        Assert.True(first.IsAppended);
        _disk.Fill();

        var move = Task.Run(fixture.Outbox.MoveJournal);
        var finished = await Task.WhenAny(move, Task.Delay(TimeSpan.FromSeconds(15))) == move;

        if (finished)
        {
            // Closed (or, if the copy fit in pages LiteDB had, done); the chain goes on once there is room.
            await move;
            Assert.True(fixture.Outbox.IsResponsive(TimeSpan.FromSeconds(5)));
            _disk.Unfill();
            fixture.Time.Advance(EventOutbox.ReopenInterval);
            var reopened = fixture.AppendShip("A3");
            Assert.True(reopened.IsAppended, reopened.Reason);
            AssertChainHolds(fixture.Outbox, [first, reopened]);
            fixture.Dispose();
        }
        else
        {
            Assert.False(fixture.Outbox.IsResponsive(TimeSpan.FromMilliseconds(200)));
        }
    }

    public void Dispose() => _disk.Dispose();

    // Every confirmed event is pending, and the pending events form one unbroken chain from seq 0.
    private static void AssertChainHolds(EventOutbox outbox, IEnumerable<AppendResult> confirmed)
    {
        var pending = outbox.TakePending(1000, OutboxKinds.All);
        var bySeq = pending.ToDictionary(e => e.Seq);
        foreach (var result in confirmed)
        {
            Assert.True(bySeq.TryGetValue(result.Seq, out var entry), $"confirmed seq {result.Seq} is missing");
            Assert.Equal(result.EventId, entry.EventId);
        }

        var prev = EventId.None;
        for (var i = 0; i < pending.Count; i++)
        {
            Assert.Equal(i, pending[i].Seq);
            Assert.True(EnvelopeCodec.TryDecode(pending[i].Envelope.Span, out var envelope, out _));
            Assert.True(EventCodec.TryDecode(envelope!.Payload.Span, out var decoded, out _));
            Assert.Equal(prev, decoded!.Device.Prev);
            prev = pending[i].EventId;
        }
    }
}
