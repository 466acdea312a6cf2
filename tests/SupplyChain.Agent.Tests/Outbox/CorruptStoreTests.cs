using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyChain.Agent.Outbox;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Agent.Tests.Outbox;

public sealed partial class CorruptStoreTests
{
    [Fact]
    public void Open_GarbageFile_MovedAsideAndFreshStoreWorks()
    {
        using var fixture = new OutboxFixture();
        fixture.Close();
        var garbage = new byte[64 * 1024];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(fixture.DatabasePath, garbage);

        var outbox = fixture.Reopen();

        Assert.NotNull(outbox.MovedAside);
        Assert.Matches(CorruptName(), Path.GetFileName(outbox.MovedAside));
        Assert.Equal(garbage, File.ReadAllBytes(outbox.MovedAside));
        Assert.Equal(outbox.MovedAside, outbox.ReadStatus().RecoveredFrom);
        Assert.True(fixture.AppendShip("A1").IsAppended);
    }

    [Fact]
    public void Open_TruncatedDatabase_MovedAsideAndChainRestartsAboveUsedSeqs()
    {
        using var fixture = new OutboxFixture();
        for (var i = 0; i < 20; i++)
        {
            fixture.AppendShip($"A{i}");
        }

        fixture.Close();
        using (var stream = new FileStream(fixture.DatabasePath, FileMode.Open))
        {
            stream.SetLength(stream.Length / 3);
        }

        var outbox = fixture.Reopen();
        var next = fixture.AppendShip("B1");

        Assert.NotNull(outbox.MovedAside);
        Assert.True(next.Seq >= 20, $"seq {next.Seq} may repeat one the hub holds");
        var entry = Assert.Single(outbox.TakePending(10, Agent.Outbox.OutboxKinds.All));
        Assert.True(EnvelopeCodec.TryDecode(entry.Envelope.Span, out var envelope, out _));
        Assert.True(EventCodec.TryDecode(envelope!.Payload.Span, out var decoded, out _));
        Assert.True(decoded!.Device.Prev.IsNone);
        Assert.Equal(next.Seq, outbox.ReadStatus().ChainStart);
    }

    [Fact]
    public void Open_HealthyStore_NotMovedAside()
    {
        using var fixture = new OutboxFixture();
        fixture.AppendShip("A1");

        var outbox = fixture.Reopen();

        Assert.Null(outbox.MovedAside);
        Assert.Null(outbox.ReadStatus().RecoveredFrom);
        Assert.Single(Directory.GetFiles(fixture.DirectoryPath, "outbox.db*"));
    }

    [Fact]
    public void Open_SecondWriterOnSameDirectory_RefusedWhileFirstOpen()
    {
        using var fixture = new OutboxFixture();

        var error = Assert.Throws<IOException>(() => EventOutbox.Open(
            fixture.DirectoryPath, fixture.Identity, "boot-2", () => true, new OutboxOptions(), fixture.Time, NullLogger<EventOutbox>.Instance));

        Assert.Contains("second coldtrace-agent", error.Message, StringComparison.Ordinal);
        Assert.True(fixture.AppendShip("A1").IsAppended);
    }

    [GeneratedRegex(@"^outbox\.db\.corrupt-\d{14}$")]
    private static partial Regex CorruptName();
}
