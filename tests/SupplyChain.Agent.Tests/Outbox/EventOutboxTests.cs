using SupplyChain.Agent.Outbox;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Agent.Tests.Outbox;

public sealed class EventOutboxTests
{
    [Fact]
    public void Append_FirstEvent_SeqZeroPrevNoneSignedByDevice()
    {
        using var fixture = new OutboxFixture();

        var result = fixture.AppendShip("A1");

        Assert.Equal(AppendStatus.Appended, result.Status);
        var entry = Assert.Single(fixture.Outbox.TakePending(10, OutboxKinds.All));
        var (envelope, custodyEvent) = Decode(entry);
        Assert.True(EnvelopeVerifier.Verify(envelope, fixture.Identity.Signer.PublicKey));
        Assert.Equal(result.EventId, envelope.EventId);
        Assert.Equal(0, custodyEvent.Device.Seq);
        Assert.True(custodyEvent.Device.Prev.IsNone);
        Assert.Equal("dock-7", custodyEvent.Device.DeviceId);
        Assert.Equal(OutboxKind.Custody, entry.Kind);
    }

    [Fact]
    public void MoveJournal_LargeEvent_LogSyncedOnceDataSyncedBeforeReturning()
    {
        // A shipment of 300 packs spans several pages; LiteDB's log writer flushes after every few of them. The log must
        // be on disk once, before the checkpoint changes the data file, not once per flush.
        using var fixture = new OutboxFixture();
        fixture.AppendShip("A0");
        fixture.Outbox.MoveJournal();
        var (log, data) = (fixture.Outbox.LogDiskFlushes, fixture.Outbox.DataDiskFlushes);

        Assert.True(fixture.AppendShip([.. Enumerable.Range(0, 300).Select(i => $"B{i:D4}")]).IsAppended);
        Assert.Equal(1, fixture.Outbox.MoveJournal());

        Assert.Equal(log + 1, fixture.Outbox.LogDiskFlushes);
        Assert.True(fixture.Outbox.DataDiskFlushes > data);
        Assert.Equal(0, new FileInfo(fixture.DatabasePath.Replace(".db", "-log.db", StringComparison.Ordinal)).Length);
        Assert.Equal((0, 0L), (fixture.Outbox.Unmoved, fixture.Outbox.JournalLength));
        Assert.Equal(2, EventOutbox.ReadStatus(fixture.DatabasePath)!.PendingCustody);
    }

    [Fact]
    public void Append_Journaled_OneSyncBeforeReturningAndNoStoreWrite()
    {
        using var fixture = new OutboxFixture();
        var (journal, log, data) = (fixture.Outbox.JournalDiskFlushes, fixture.Outbox.LogDiskFlushes, fixture.Outbox.DataDiskFlushes);

        var appended = fixture.AppendShip("A1");

        Assert.True(appended.IsAppended);
        Assert.Equal(journal + 1, fixture.Outbox.JournalDiskFlushes);
        Assert.Equal((log, data), (fixture.Outbox.LogDiskFlushes, fixture.Outbox.DataDiskFlushes));
        Assert.Equal(1, fixture.Outbox.Unmoved);

        // Read from the files as `status` does with no agent running: the journaled event counts.
        var status = EventOutbox.ReadStatus(fixture.DatabasePath)!;
        Assert.Equal((1L, 1L), (status.PendingCustody, status.NextSeq));
    }

    [Fact]
    public void MoveJournal_Moved_InDataFileJournalEmptied()
    {
        using var fixture = new OutboxFixture();
        var before = fixture.Outbox.DataDiskFlushes;
        fixture.AppendShip("A1");
        fixture.AppendShip("A2");

        Assert.Equal(2, fixture.Outbox.MoveJournal());

        Assert.True(fixture.Outbox.DataDiskFlushes > before);
        Assert.Equal((0, 0L), (fixture.Outbox.Unmoved, fixture.Outbox.JournalLength));
        Assert.Equal(0, new FileInfo(fixture.DatabasePath.Replace(".db", "-log.db", StringComparison.Ordinal)).Length);
        Assert.Equal(0, fixture.Outbox.MoveJournal());
    }

    [Fact]
    public void Append_ThreeEvents_PrevIsPreviousEventId()
    {
        using var fixture = new OutboxFixture();
        var ids = new[] { fixture.AppendShip("A1"), fixture.AppendShip("A2"), fixture.AppendShip("A3") };

        var entries = fixture.Outbox.TakePending(10, OutboxKinds.All);

        Assert.Equal([0L, 1L, 2L], entries.Select(e => e.Seq));
        Assert.Equal(ids.Select(r => r.EventId), entries.Select(e => e.EventId));
        Assert.Equal(ids[0].EventId, Decode(entries[1]).Event.Device.Prev);
        Assert.Equal(ids[1].EventId, Decode(entries[2]).Event.Device.Prev);
    }

    [Fact]
    public void Append_AfterAckAndReopen_SeqNeverReusedAndChainContinues()
    {
        using var fixture = new OutboxFixture();
        fixture.AppendShip("A1");
        var second = fixture.AppendShip("A2");
        foreach (var entry in fixture.Outbox.TakePending(10, OutboxKinds.All))
        {
            Assert.True(fixture.Outbox.MarkAcked(entry.EventId, 100 + entry.Seq));
        }

        fixture.Reopen();
        var third = fixture.AppendShip("A3");

        Assert.Equal(2, third.Seq);
        var entry3 = Assert.Single(fixture.Outbox.TakePending(10, OutboxKinds.All));
        Assert.Equal(second.EventId, Decode(entry3).Event.Device.Prev);
        var status = fixture.Outbox.ReadStatus();
        Assert.Equal(1, status.LastAckSeq);
        Assert.Equal(101, status.LastAckLogIndex);
    }

    [Fact]
    public void Append_CustodyQuotaFull_RefusedWithoutUsingASeq()
    {
        using var fixture = new OutboxFixture(new OutboxOptions { MaxCustodyEvents = 2 });
        var first = fixture.AppendShip("A1");
        fixture.AppendShip("A2");

        var refused = fixture.AppendShip("A3");

        Assert.Equal(AppendStatus.QuotaFull, refused.Status);
        Assert.Contains("Outbox:MaxCustodyEvents", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(2, fixture.Outbox.TakePending(10, OutboxKinds.All).Count);
        fixture.Outbox.MarkAcked(first.EventId, 0);
        Assert.Equal(2, fixture.AppendShip("A3").Seq);
    }

    [Fact]
    public void AppendSensor_QuotaFull_DropsOldestAndCountsGap()
    {
        using var fixture = new OutboxFixture(new OutboxOptions { MaxSensorReports = 3 });
        foreach (var celsius in new[] { 1m, 2m, 3m, 4m })
        {
            fixture.AppendReport(celsius);
        }

        var last = fixture.AppendReport(5m);

        Assert.Equal(1, last.Dropped);
        Assert.Equal(2, last.TotalGaps);
        var entries = fixture.Outbox.TakePending(10, OutboxKinds.All);
        Assert.Equal([3m, 4m, 5m], entries.Select(e => Decode(e).Event.Event.SensorElementList![0].SensorReport![0].Value!.Value));
        Assert.Equal([0L, 1L, 2L], entries.Select(e => e.Seq));
        Assert.Equal(2, fixture.Outbox.ReadStatus().Gaps);
    }

    [Fact]
    public void AppendSensor_QuotaFull_AlarmOutlivesOlderRoutineReports()
    {
        using var fixture = new OutboxFixture(new OutboxOptions { MaxSensorReports = 2 });
        fixture.AppendAlarm(9.5m);
        fixture.AppendReport(5m);

        fixture.AppendReport(6m);

        var kinds = fixture.Outbox.TakePending(10, OutboxKinds.All).Select(e => Decode(e).Event).ToList();
        Assert.Equal([CustodyEventKind.SensorAlarm, CustodyEventKind.SensorReport], kinds.Select(k => k.Kind));
        Assert.Equal(6m, kinds[1].Event.SensorElementList![0].SensorReport![0].Value);
    }

    [Fact]
    public void AppendSensor_ReportOver64KiB_SplitIntoPartsThatFitWithEverySample()
    {
        using var fixture = new OutboxFixture();
        var start = fixture.Time.GetUtcNow();
        var samples = Enumerable.Range(0, 3000).Select(i => new TemperatureSample(start.AddSeconds(i), 5m + (i % 100 / 1000m))).ToList();

        fixture.Outbox.AppendSensor(SensorDraft.Report(start.AddSeconds(3000), OutboxFixture.Site, OutboxFixture.Asset, samples));

        var entries = fixture.Outbox.TakePending(100, OutboxKinds.All);
        Assert.True(entries.Count > 1);
        var decoded = entries.Select(e => Decode(e)).ToList();
        Assert.All(decoded, d => Assert.True(d.Envelope.Payload.Length <= EventCodec.MaxPayloadBytes));
        var times = decoded.SelectMany(d => d.Event.Event.SensorElementList![0].SensorReport!.Where(r => r.Time is not null).Select(r => r.Time!)).ToList();
        Assert.Equal(3000, times.Count);
        Assert.Equal(times.Order(StringComparer.Ordinal), times);
    }

    [Fact]
    public void TakePending_CustodyAppendedBehindSensorBacklog_ComesFirstAndChainStaysWhole()
    {
        using var fixture = new OutboxFixture();
        fixture.AppendReport(5m);
        fixture.AppendReport(5.1m);
        var ship = fixture.AppendShip("A1");

        var entries = fixture.Outbox.TakePending(10, OutboxKinds.All);

        Assert.Equal([OutboxKind.Custody, OutboxKind.Sensor, OutboxKind.Sensor], entries.Select(e => e.Kind));
        Assert.Equal([0L, 1L, 2L], entries.Select(e => e.Seq));
        Assert.Equal(ship.EventId, Decode(entries[1]).Event.Device.Prev);
        Assert.Equal(entries[1].EventId, Decode(entries[2]).Event.Device.Prev);
    }

    [Fact]
    public void TakePending_CustodyOnly_LeavesSensorReportsQueued()
    {
        using var fixture = new OutboxFixture();
        fixture.AppendReport(5m);
        fixture.AppendShip("A1");

        var entries = fixture.Outbox.TakePending(10, OutboxKinds.Custody);

        Assert.Equal(OutboxKind.Custody, Assert.Single(entries).Kind);
        var status = fixture.Outbox.ReadStatus();
        Assert.Equal(1, status.QueuedSensor);
        Assert.Equal(0, status.PendingSensor);
        Assert.Equal(1, status.NextSeq);
    }

    [Fact]
    public void TakePending_Max_LimitsAndRepeatsUntilAcked()
    {
        using var fixture = new OutboxFixture();
        fixture.AppendShip("A1");
        fixture.AppendShip("A2");
        fixture.AppendReport(5m);

        var first = fixture.Outbox.TakePending(2, OutboxKinds.All);
        var again = fixture.Outbox.TakePending(2, OutboxKinds.All);

        Assert.Equal([0L, 1L], first.Select(e => e.Seq));
        Assert.Equal([0L, 1L], again.Select(e => e.Seq));
        Assert.Equal([2, 2], again.Select(e => e.Attempts));
        Assert.Equal(1, fixture.Outbox.ReadStatus().QueuedSensor);
    }

    [Fact]
    public void TakePending_SensorDraft_KeepsBootIdAndClockFlagOfItsMaking()
    {
        using var fixture = new OutboxFixture { ClockSynced = false };
        fixture.AppendReport(5m);
        fixture.ClockSynced = true;

        var entry = Assert.Single(fixture.Outbox.TakePending(10, OutboxKinds.All));

        Assert.False(Decode(entry).Event.Device.ClockSynced);
        Assert.Equal("boot-1", Decode(entry).Event.Device.BootId);
    }

    [Fact]
    public void MarkRejected_Pending_KeptAndNeverResent()
    {
        using var fixture = new OutboxFixture();
        var ship = fixture.AppendShip("A1");

        Assert.True(fixture.Outbox.MarkRejected(ship.EventId, "unknown device"));

        Assert.Empty(fixture.Outbox.TakePending(10, OutboxKinds.All));
        var status = fixture.Outbox.ReadStatus();
        Assert.Equal(1, status.Rejected);
        Assert.Equal(0, status.PendingCustody);
        Assert.False(fixture.Outbox.MarkAcked(ship.EventId, 5));
    }

    [Fact]
    public void MarkAcked_UnknownEvent_ReturnsFalse()
    {
        using var fixture = new OutboxFixture();

        Assert.False(fixture.Outbox.MarkAcked(EventId.Compute([1, 2, 3]), 1));
    }

    [Fact]
    public void ReadStatus_Backlog_CountsByKindAndOldestAge()
    {
        using var fixture = new OutboxFixture();
        fixture.AppendShip("A1");
        fixture.Time.Advance(TimeSpan.FromMinutes(3));
        fixture.AppendReport(5m);
        fixture.AppendReport(5m);
        fixture.Time.Advance(TimeSpan.FromMinutes(2));

        var status = fixture.Outbox.ReadStatus();

        Assert.Equal(1, status.PendingCustody);
        Assert.Equal(2, status.SensorBacklog);
        Assert.Equal(TimeSpan.FromMinutes(5), status.OldestUnackedAge(fixture.Time.GetUtcNow()));
    }

    [Fact]
    public void ReadStatusFromFile_WhileOutboxOpen_ReadsSameCounts()
    {
        using var fixture = new OutboxFixture();
        fixture.AppendShip("A1");
        fixture.AppendReport(5m);

        var status = EventOutbox.ReadStatus(fixture.DatabasePath);

        Assert.NotNull(status);
        Assert.Equal(1, status.PendingCustody);
        Assert.Equal(1, status.QueuedSensor);
        Assert.Equal(1, fixture.AppendShip("A2").Seq);
    }

    [Fact]
    public void ReadStatusFromFile_EmptyFileOfAStoreBeingCreated_NoStoreYet()
    {
        using var directory = new TempDirectory();
        File.WriteAllBytes(directory.File(EventOutbox.FileName), []);

        Assert.Null(EventOutbox.ReadStatus(directory.File(EventOutbox.FileName)));
        Assert.Empty(EventOutbox.ReadRejected(directory.File(EventOutbox.FileName)));
    }

    private static (Envelope Envelope, CustodyEvent Event) Decode(OutboxEntry entry)
    {
        Assert.True(EnvelopeCodec.TryDecode(entry.Envelope.Span, out var envelope, out var envelopeError), envelopeError.ToString());
        Assert.True(EventCodec.TryDecode(envelope!.Payload.Span, out var custodyEvent, out var eventError), eventError.ToString());
        return (envelope, custodyEvent!);
    }
}
