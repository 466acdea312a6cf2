using SupplyChain.Agent.Outbox;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Agent.Tests.Outbox;

/// <summary>
/// A final rejection in the middle of the chain (PROTOCOL.md §5.4–5.5): later events move to a new chain at fresh seqs
/// with a zero prev, so the hub takes them as a restart instead of holding them as a gap forever.
/// </summary>
public sealed class ChainRestartTests
{
    [Fact]
    public void MarkRejected_MiddleOfChain_LaterEventsResignedAtFreshSeqsFirstWithZeroPrev()
    {
        using var fixture = new OutboxFixture();
        var appended = Enumerable.Range(0, 5).Select(i => fixture.AppendShip($"P{i}")).ToList();
        Assert.True(fixture.Outbox.MarkAcked(appended[0].EventId, 10));

        var result = fixture.Outbox.MarkRejected([new Rejection(appended[2].EventId, RejectReason.BadEvent)]);

        Assert.Equal(new RejectionResult(1, 2, 5), result);
        var pending = fixture.Outbox.TakePending(10, OutboxKinds.All);
        Assert.Equal([1L, 5L, 6L], pending.Select(e => e.Seq));
        Assert.Equal(appended[1].EventId, pending[0].EventId);
        Assert.Equal([false, true, false], pending.Select(e => e.StartsChain));

        var (envelope5, event5) = Decode(pending[1]);
        var (envelope6, event6) = Decode(pending[2]);
        Assert.True(EnvelopeVerifier.Verify(envelope5, fixture.Identity.Signer.PublicKey));
        Assert.True(EnvelopeVerifier.Verify(envelope6, fixture.Identity.Signer.PublicKey));
        Assert.True(event5.Device.Prev.IsNone);
        Assert.Equal(envelope5.EventId, event6.Device.Prev);
        Assert.Equal([OutboxFixture.Pack("P3")], event5.Epcs);
        Assert.Equal([OutboxFixture.Pack("P4")], event6.Epcs);

        var status = fixture.Outbox.ReadStatus();
        Assert.Equal(1, status.Rejected);
        Assert.Equal(3, status.PendingCustody);
        Assert.Equal(7, status.NextSeq);
    }

    [Fact]
    public void MarkRejected_MiddleOfChain_RejectedEventStaysVisibleWithReason()
    {
        using var fixture = new OutboxFixture();
        var appended = Enumerable.Range(0, 3).Select(i => fixture.AppendShip($"P{i}")).ToList();
        fixture.Time.Advance(TimeSpan.FromMinutes(1));

        fixture.Outbox.MarkRejected(appended[1].EventId, RejectReason.TooLarge);

        var rejected = Assert.Single(fixture.Outbox.ReadRejected());
        Assert.Equal(new RejectedEntry(1, appended[1].EventId, OutboxKind.Custody, RejectReason.TooLarge, fixture.Time.GetUtcNow()), rejected);
        Assert.Equal(rejected, Assert.Single(EventOutbox.ReadRejected(fixture.DatabasePath)));
        Assert.Equal(1, EventOutbox.ReadStatus(fixture.DatabasePath)!.Rejected);
    }

    [Fact]
    public void MarkRejected_ChainHead_NextAppendStartsNewChain()
    {
        using var fixture = new OutboxFixture();
        var first = fixture.AppendShip("P0");
        var second = fixture.AppendShip("P1");
        fixture.Outbox.MarkAcked(first.EventId, 3);

        var result = fixture.Outbox.MarkRejected([new Rejection(second.EventId, RejectReason.BadSignature)]);
        var third = fixture.AppendShip("P2");

        Assert.Equal(new RejectionResult(1, 0, 2), result);
        Assert.Equal(2, third.Seq);
        var entry = Assert.Single(fixture.Outbox.TakePending(10, OutboxKinds.All));
        Assert.True(entry.StartsChain);
        Assert.True(Decode(entry).Event.Device.Prev.IsNone);
    }

    [Fact]
    public void MarkRejected_NotTheHeadAndNothingAfter_ChainContinues()
    {
        using var fixture = new OutboxFixture();
        var first = fixture.AppendShip("P0");
        var second = fixture.AppendShip("P1");
        fixture.Outbox.MarkAcked(second.EventId, 3);

        var result = fixture.Outbox.MarkRejected([new Rejection(first.EventId, RejectReason.BadEvent)]);
        fixture.AppendShip("P2");

        Assert.Equal(new RejectionResult(1, 0, null), result);
        var entry = Assert.Single(fixture.Outbox.TakePending(10, OutboxKinds.All));
        Assert.False(entry.StartsChain);
        Assert.Equal(second.EventId, Decode(entry).Event.Device.Prev);
    }

    [Fact]
    public void MarkRejected_TwoInOneMessage_BothKeptOneRestart()
    {
        using var fixture = new OutboxFixture();
        var appended = Enumerable.Range(0, 5).Select(i => fixture.AppendShip($"P{i}")).ToList();

        var result = fixture.Outbox.MarkRejected(
            [new Rejection(appended[2].EventId, RejectReason.BadEvent), new Rejection(appended[1].EventId, RejectReason.BadEvent), new Rejection(EventId.Compute([9]), RejectReason.BadEvent)]);

        Assert.Equal(new RejectionResult(2, 2, 5), result);
        var pending = fixture.Outbox.TakePending(10, OutboxKinds.All);
        Assert.Equal([0L, 5L, 6L], pending.Select(e => e.Seq));
        Assert.Equal([OutboxFixture.Pack("P3"), OutboxFixture.Pack("P4")], pending.Skip(1).Select(e => Assert.Single(Decode(e).Event.Epcs)));
        Assert.Equal(2, fixture.Outbox.ReadStatus().Rejected);
    }

    [Fact]
    public void MarkRejected_OldIdOfResignedEvent_NotFound()
    {
        using var fixture = new OutboxFixture();
        var appended = Enumerable.Range(0, 3).Select(i => fixture.AppendShip($"P{i}")).ToList();
        fixture.Outbox.MarkRejected(appended[0].EventId, RejectReason.BadEvent);

        Assert.False(fixture.Outbox.MarkRejected(appended[1].EventId, RejectReason.BadEvent));
        Assert.False(fixture.Outbox.MarkAcked(appended[2].EventId, 1));
        Assert.Equal(2, fixture.Outbox.ReadStatus().PendingCustody);
    }

    [Fact]
    public void MarkRejected_QueuedSensorReport_ChainedAfterTheMovedEvents()
    {
        using var fixture = new OutboxFixture();
        var first = fixture.AppendShip("P0");
        fixture.AppendShip("P1");
        fixture.AppendReport(5m);

        fixture.Outbox.MarkRejected(first.EventId, RejectReason.BadEvent);
        var pending = fixture.Outbox.TakePending(10, OutboxKinds.All);

        Assert.Equal([2L, 3L], pending.Select(e => e.Seq));
        Assert.Equal([OutboxKind.Custody, OutboxKind.Sensor], pending.Select(e => e.Kind));
        Assert.Equal(pending[0].EventId, Decode(pending[1]).Event.Device.Prev);
    }

    [Fact]
    public void MarkRejected_AfterRestartAndReopen_NoSeqEverReused()
    {
        using var fixture = new OutboxFixture();
        var appended = Enumerable.Range(0, 4).Select(i => fixture.AppendShip($"P{i}")).ToList();
        fixture.Outbox.MarkRejected(appended[1].EventId, RejectReason.BadEvent);
        var used = new HashSet<long> { 0, 1, 2, 3 };
        used.UnionWith(fixture.Outbox.TakePending(10, OutboxKinds.All).Select(e => e.Seq));

        fixture.Reopen();
        var next = fixture.AppendShip("P4");

        Assert.Equal(6, next.Seq);
        Assert.DoesNotContain(next.Seq, used);
        Assert.Equal([0L, 4L, 5L, 6L], fixture.Outbox.TakePending(10, OutboxKinds.All).Select(e => e.Seq));

        // Even with the store lost, the reservation keeps the new chain above every seq used.
        fixture.Close();
        File.Delete(fixture.DatabasePath);
        fixture.Reopen();
        Assert.True(fixture.AppendShip("P5").Seq > 6);
    }

    [Fact]
    public void MarkAcked_OneMessage_AllLeaveAndLastAckIsTheHighestSeq()
    {
        using var fixture = new OutboxFixture();
        var appended = Enumerable.Range(0, 3).Select(i => fixture.AppendShip($"P{i}")).ToList();

        var acked = fixture.Outbox.MarkAcked(
            [new Acknowledgement(appended[0].EventId, 20), new Acknowledgement(appended[1].EventId, 21), new Acknowledgement(EventId.Compute([1]), 22)]);

        Assert.Equal([appended[0].EventId, appended[1].EventId], acked.Select(a => a.EventId));
        var status = fixture.Outbox.ReadStatus();
        Assert.Equal(1, status.PendingCustody);
        Assert.Equal(1, status.LastAckSeq);
        Assert.Equal(21, status.LastAckLogIndex);
    }

    [Fact]
    public void Move_ShipEvent_SameBytesAsBuildingItAtTheNewPosition()
    {
        var time = new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);
        var packs = new[] { OutboxFixture.Pack("A1"), OutboxFixture.Pack("A2") };
        var prev = EventId.Compute("previous"u8);
        var before = new DeviceStamp("dock-7", 3, prev, "boot-1", ClockSynced: false);
        var after = new DeviceStamp("dock-7", 1024, EventId.None, "boot-1", ClockSynced: false);
        var original = EventCodec.Encode(CustodyEvents.Ship(time, before, OutboxFixture.Site, packs, OutboxFixture.Receiver));

        var moved = ChainPosition.Move(original, 1024, EventId.None);

        Assert.Equal(EventCodec.Encode(CustodyEvents.Ship(time, after, OutboxFixture.Site, packs, OutboxFixture.Receiver)), moved);
    }

    [Fact]
    public void Move_NotAnEvent_InvalidData() =>
        Assert.Throws<InvalidDataException>(() => ChainPosition.Move("{\"type\":\"EPCISDocument\"}"u8, 1, EventId.None));

    private static (Envelope Envelope, CustodyEvent Event) Decode(OutboxEntry entry)
    {
        Assert.True(EnvelopeCodec.TryDecode(entry.Envelope.Span, out var envelope, out var envelopeError), envelopeError.ToString());
        Assert.True(EventCodec.TryDecode(envelope!.Payload.Span, out var custodyEvent, out var eventError), eventError.ToString());
        return (envelope, custodyEvent!);
    }
}
