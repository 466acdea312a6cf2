using LiteDB;
using SupplyChain.Agent.Outbox;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Agent.Tests.Outbox;

/// <summary>
/// The stored layout (format 1: compressed payload and signature, no event-id index, drafts in their own collection) and
/// stores written by earlier agents (format 0: the encoded envelope and its id in every entry, drafts among the events).
/// </summary>
public sealed class OutboxFormatTests
{
    [Fact]
    public void TakePending_CompactEntries_EnvelopeBytesAsEncodedWhenSigned()
    {
        using var fixture = new OutboxFixture();
        fixture.AppendShip("A1");
        fixture.AppendReport(4.5m);
        fixture.AppendShip([.. Enumerable.Range(0, 40).Select(i => $"B{i:D3}")]);
        fixture.AppendAlarm(9.5m);

        var first = fixture.Outbox.TakePending(10, OutboxKinds.All);
        fixture.Reopen();
        var again = fixture.Outbox.TakePending(10, OutboxKinds.All);

        Assert.Equal(4, first.Count);
        Assert.Equal(first.Select(e => e.Envelope.ToArray()), again.Select(e => e.Envelope.ToArray()));
        foreach (var entry in again)
        {
            // Ed25519 is deterministic: signing the payload again and encoding gives the bytes the agent encoded at signing.
            Assert.True(EnvelopeCodec.TryDecode(entry.Envelope.Span, out var envelope, out _));
            var signedNow = fixture.Identity.Signer.Sign(envelope!.Payload.Span, EventVocabulary.PayloadType);
            Assert.Equal(EnvelopeCodec.Encode(signedNow), entry.Envelope.ToArray());
            Assert.True(EnvelopeVerifier.Verify(envelope, fixture.Identity.Signer.PublicKey));
            Assert.Equal(EventId.Compute(envelope.Payload.Span), entry.EventId);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("not json at all, and not like the dictionary")]
    public void PayloadCompression_AnyBytes_RoundTrip(string text)
    {
        var payload = System.Text.Encoding.UTF8.GetBytes(text);

        Assert.Equal(payload, PayloadCompression.Decompress(PayloadCompression.Compress(payload)));
    }

    [Fact]
    public void PayloadCompression_LargeRandomPayload_RoundTrip()
    {
        // Larger than Deflate's 32 KiB window, and incompressible.
        var payload = new byte[EventCodec.MaxPayloadBytes];
        new Random(7).NextBytes(payload);

        Assert.Equal(payload, PayloadCompression.Decompress(PayloadCompression.Compress(payload)));
    }

    [Fact]
    public void MarkAcked_SentByAnEarlierProcess_FoundWithoutAnIndex()
    {
        using var fixture = new OutboxFixture();
        var appended = Enumerable.Range(0, 5).Select(i => fixture.AppendShip($"A{i}")).ToList();
        var sent = fixture.Outbox.TakePending(10, OutboxKinds.All);
        fixture.Reopen();

        // The acks of the earlier process's messages arrive before this process hands anything out.
        var acked = fixture.Outbox.MarkAcked([.. sent.Take(3).Select(e => new Acknowledgement(e.EventId, 100 + e.Seq))]);

        Assert.Equal(3, acked.Count);
        Assert.Equal([3L, 4L], fixture.Outbox.TakePending(10, OutboxKinds.All).Select(e => e.Seq));
        Assert.Equal(2, fixture.Outbox.ReadStatus().PendingCustody);
        Assert.False(fixture.Outbox.MarkAcked(appended[0].EventId, 100));
    }

    [Fact]
    public void MarkRejected_SentByAnEarlierProcess_FoundAndLaterEventMoved()
    {
        using var fixture = new OutboxFixture();
        var first = fixture.AppendShip("A1");
        fixture.AppendShip("A2");
        fixture.Reopen();

        var result = fixture.Outbox.MarkRejected([new Rejection(first.EventId, "bad_signature")]);

        Assert.Equal(new RejectionResult(1, 1, 2), result);
        var moved = Assert.Single(fixture.Outbox.TakePending(10, OutboxKinds.All));
        Assert.Equal(2, moved.Seq);
        Assert.True(moved.StartsChain);
    }

    [Fact]
    public void TakePending_DeviceKeyReplacedWhileEventsWait_EachEnvelopeKeepsTheKeyThatSignedIt()
    {
        // Entries store no key id while it is the store's (ChainMeta.KeyId); one signed under another key carries its own.
        using var fixture = new OutboxFixture();
        var before = fixture.AppendShip("A1");
        fixture.Close();
        using var otherKeyDirectory = new TempDirectory();
        using var other = SupplyChain.Agent.Identity.DeviceIdentity.LoadOrCreate(otherKeyDirectory.Path, "dock-7");
        Assert.NotEqual(fixture.Identity.Signer.KeyId, other.Signer.KeyId);

        using (var outbox = EventOutbox.Open(
            fixture.DirectoryPath, other, "boot-2", () => true, fixture.Options, fixture.Time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<EventOutbox>.Instance))
        {
            outbox.Append(stamp => CustodyEvents.Ship(fixture.Time.GetUtcNow(), stamp, OutboxFixture.Site, [OutboxFixture.Pack("A2")], OutboxFixture.Receiver));
        }

        var entries = fixture.Reopen().TakePending(10, OutboxKinds.All);

        Assert.Equal(2, entries.Count);
        Assert.Equal(before.EventId, entries[0].EventId);
        Assert.True(EnvelopeCodec.TryDecode(entries[0].Envelope.Span, out var first, out _));
        Assert.True(EnvelopeCodec.TryDecode(entries[1].Envelope.Span, out var second, out _));
        Assert.Equal(fixture.Identity.Signer.KeyId, first!.Signatures[0].KeyId);
        Assert.True(EnvelopeVerifier.Verify(first, fixture.Identity.Signer.PublicKey));
        Assert.Equal(other.Signer.KeyId, second!.Signatures[0].KeyId);
        Assert.True(EnvelopeVerifier.Verify(second, other.Signer.PublicKey));
    }

    [Fact]
    public void Append_ThousandCustodyEvents_UnderAThousandBytesEachOnDisk()
    {
        // The growth of the file from 200 to 1,200 events, so the fixed pages of a new store do not count.
        using var fixture = new OutboxFixture();
        for (var i = 0; i < 200; i++)
        {
            Assert.True(fixture.AppendShip($"S{i:D9}").IsAppended);
        }

        fixture.Outbox.MoveJournal();
        var before = new FileInfo(fixture.DatabasePath).Length;
        for (var i = 200; i < 1200; i++)
        {
            Assert.True(fixture.AppendShip($"S{i:D9}").IsAppended);
        }

        Assert.Equal(1000, fixture.Outbox.MoveJournal());
        var perEvent = (new FileInfo(fixture.DatabasePath).Length - before) / 1000.0;
        Assert.InRange(perEvent, 1, 1000);
    }

    [Fact]
    public void Open_StoreOfFormat0_EntriesSentAsStoredDraftsMovedIndexesDropped()
    {
        using var fixture = new OutboxFixture();
        fixture.Close();
        var old = WriteFormat0Store(fixture);

        var outbox = fixture.Reopen();
        var entries = outbox.TakePending(10, OutboxKinds.All);

        Assert.Equal([0L, 1L, 2L], entries.Select(e => e.Seq));
        Assert.Equal(old.Envelopes, entries.Take(2).Select(e => e.Envelope.ToArray()));
        Assert.Equal(old.Ids, entries.Take(2).Select(e => e.EventId));
        Assert.True(entries[0].StartsChain);
        Assert.Equal([false, false, true], entries.Select(e => e.EncodedByOutbox));
        Assert.Equal(OutboxKind.Sensor, entries[2].Kind);
        Assert.True(EnvelopeCodec.TryDecode(entries[2].Envelope.Span, out var report, out _));
        Assert.True(EnvelopeVerifier.Verify(report!, fixture.Identity.Signer.PublicKey));
        Assert.True(EventCodec.TryDecode(report!.Payload.Span, out var reportEvent, out _));
        Assert.Equal(old.Ids[1], reportEvent!.Device.Prev);
        Assert.Equal("boot-0", reportEvent.Device.BootId);
        Assert.Equal(2, outbox.ReadStatus().PendingCustody);

        Assert.Equal(3, outbox.MarkAcked([.. entries.Select(e => new Acknowledgement(e.EventId, 10 + e.Seq))]).Count);
        var status = outbox.ReadStatus();
        Assert.Equal((0L, 0L, 0L, 3L), (status.PendingCustody, status.PendingSensor, status.QueuedSensor, status.NextSeq));
        fixture.Close();
        using var db = new LiteDatabase(new ConnectionString { Filename = fixture.DatabasePath, ReadOnly = true });
        var indexes = db.GetCollection("$indexes").FindAll().Where(d => d["collection"].AsString == "events").Select(d => d["name"].AsString);
        Assert.Equal(["_id", "ps", "ut"], indexes.Order());
    }

    [Fact]
    public void MarkRejected_StoreOfFormat0_LaterEventResignedInTheNewLayout()
    {
        using var fixture = new OutboxFixture();
        fixture.Close();
        var old = WriteFormat0Store(fixture);
        var outbox = fixture.Reopen();

        var result = outbox.MarkRejected([new Rejection(old.Ids[0], "bad_signature")]);

        Assert.Equal(new RejectionResult(1, 1, 2), result);
        var entries = outbox.TakePending(10, OutboxKinds.All);
        Assert.Equal([2L, 3L], entries.Select(e => e.Seq));
        Assert.True(EnvelopeCodec.TryDecode(entries[0].Envelope.Span, out var moved, out _));
        Assert.True(EnvelopeVerifier.Verify(moved!, fixture.Identity.Signer.PublicKey));
        Assert.True(EventCodec.TryDecode(moved!.Payload.Span, out var movedEvent, out _));
        Assert.True(movedEvent!.Device.Prev.IsNone);
        Assert.Equal(old.Ids[0], Assert.Single(outbox.ReadRejected()).EventId);
        fixture.Reopen();
        Assert.Equal(entries.Select(e => e.Envelope.ToArray()), fixture.Outbox.TakePending(10, OutboxKinds.All).Select(e => e.Envelope.ToArray()));
    }

    // An outbox as the agent wrote it before format 1: two pending custody events with their encoded envelopes and ids,
    // one queued sensor report among the events, five indexes on events, and the meta document of that time.
    private static (List<byte[]> Envelopes, List<EventId> Ids) WriteFormat0Store(OutboxFixture fixture)
    {
        foreach (var file in Directory.GetFiles(fixture.DirectoryPath, "outbox*.db"))
        {
            File.Delete(file);
        }

        var envelopes = new List<byte[]>();
        var ids = new List<EventId>();
        var t = fixture.Time.GetUtcNow();
        using var db = new LiteDatabase(new ConnectionString { Filename = fixture.DatabasePath });
        var events = db.GetCollection("events", BsonAutoId.Int64);
        foreach (var index in new[] { "ps", "qd", "qr", "ut", "eid" })
        {
            events.EnsureIndex(index);
        }

        var prev = EventId.None;
        for (var seq = 0L; seq < 2; seq++)
        {
            var stamp = new DeviceStamp("dock-7", seq, prev, "boot-0", ClockSynced: true);
            var payload = EventCodec.Encode(CustodyEvents.Ship(t, stamp, OutboxFixture.Site, [OutboxFixture.Pack($"OLD{seq}")], OutboxFixture.Receiver));
            var envelope = fixture.Identity.Signer.Sign(payload, EventVocabulary.PayloadType);
            var encoded = EnvelopeCodec.Encode(envelope);
            events.Insert(new BsonDocument
            {
                ["k"] = "c", ["st"] = "p", ["seq"] = seq, ["ps"] = seq, ["eid"] = envelope.EventId.Bytes.ToArray(),
                ["env"] = encoded, ["t"] = t.UtcTicks, ["ut"] = t.UtcTicks, ["z"] = prev.IsNone,
            });
            envelopes.Add(encoded);
            ids.Add(envelope.EventId);
            prev = envelope.EventId;
        }

        var draft = SensorDraft.Report(t, OutboxFixture.Site, OutboxFixture.Asset, [new TemperatureSample(t, 5.5m)]);
        events.Insert(new BsonDocument
        {
            ["k"] = "s", ["st"] = "q", ["qd"] = 0L, ["qr"] = 0L, ["d"] = draft.ToBson("boot-0", clockSynced: true),
            ["t"] = t.UtcTicks, ["ut"] = t.UtcTicks,
        });
        db.GetCollection("meta").Insert(new BsonDocument
        {
            ["_id"] = "chain", ["next"] = 2L, ["prev"] = prev.Bytes.ToArray(), ["pc"] = 2L, ["ps"] = 0L, ["qs"] = 1L,
            ["rej"] = 0L, ["gaps"] = 0L, ["draft"] = 1L, ["ackSeq"] = BsonValue.Null, ["ackIdx"] = BsonValue.Null,
            ["ackAt"] = BsonValue.Null, ["start"] = 0L, ["recFrom"] = BsonValue.Null, ["recAt"] = BsonValue.Null,
        });
        return (envelopes, ids);
    }
}
