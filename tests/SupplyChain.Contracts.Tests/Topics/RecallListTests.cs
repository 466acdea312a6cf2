using System.Text;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Contracts.Rules;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Contracts.Tests.Topics;

public sealed class RecallListTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 24, 7, 0, 0, 123, TimeSpan.Zero);

    private static readonly NoteSigner Hub = NoteSigner.Generate("coldtrace.example/log");

    [Fact]
    public void FormatText_TwoPacks_PinnedLinesSortedByPack()
    {
        var list = Sample();

        Assert.Equal(
            "coldtrace.recalls/v1\n4012345000009\n42\n2026-11-24T07:00:00.123Z\n" +
            "09506000134352 A1 R-2\n09506000134352 B7 R-1\n",
            list.FormatText());
    }

    [Fact]
    public void TryOpen_SignedByHub_RoundTrips()
    {
        var note = Sample().Sign(Hub);

        Assert.True(RecallList.TryOpen(note, Hub.Verifier, out var list, out var reason), reason);
        Assert.Equal("4012345000009", list!.Site.Value);
        Assert.Equal(42, list.Version);
        Assert.Equal(Time, list.Time);
        Assert.Equal(["A1", "B7"], list.Packs.Select(p => p.Pack.Serial.Value));
        Assert.Equal("R-1", list.Find(Pack("B7"))!.Value.RecallId);
        Assert.Null(list.Find(Pack("C9")));
    }

    [Fact]
    public void TryOpen_EmptyList_IsValid()
    {
        var note = new RecallList(Site(), 7, Time, []).Sign(Hub);

        Assert.True(RecallList.TryOpen(note, Hub.Verifier, out var list, out _));
        Assert.Empty(list!.Packs);
    }

    [Fact]
    public void TryOpen_PackRemovedFromSignedText_Rejected()
    {
        var note = Sample().Sign(Hub).Replace("09506000134352 B7 R-1\n", string.Empty, StringComparison.Ordinal);

        Assert.False(RecallList.TryOpen(note, Hub.Verifier, out var list, out var reason));
        Assert.Null(list);
        Assert.StartsWith("signature:", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryOpen_SignedByAnotherKeyWithSameName_Rejected()
    {
        var forger = NoteSigner.Generate("coldtrace.example/log");
        var note = Sample().Sign(forger);

        Assert.False(RecallList.TryOpen(note, Hub.Verifier, out _, out var reason));
        Assert.StartsWith("signature:", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryOpen_CheckpointSignedBySameKey_NotARecallList()
    {
        var checkpoint = new Checkpoint("coldtrace.example/log", 3, new byte[32]);
        var note = SignedNote.Sign(checkpoint.ToBody(), Hub);

        Assert.False(RecallList.TryOpen(note, Hub.Verifier, out _, out var reason));
        Assert.StartsWith("not a recall list", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("coldtrace.recalls/v1\n4012345000009\n1\n2026-11-24T07:00:00.123Z", "newline")]
    [InlineData("coldtrace.recalls/v1\n4012345000008\n1\n2026-11-24T07:00:00.123Z\n", "site")]
    [InlineData("coldtrace.recalls/v1\n4012345000009\n-1\n2026-11-24T07:00:00.123Z\n", "version")]
    [InlineData("coldtrace.recalls/v1\n4012345000009\n1\n2026-11-24 07:00\n", "time")]
    [InlineData("coldtrace.recalls/v1\n4012345000009\n1\n2026-11-24T07:00:00.123Z\n09506000134352 A1\n", "line 5")]
    [InlineData("coldtrace.recalls/v1\n4012345000009\n1\n2026-11-24T07:00:00.123Z\n09506000134353 A1 R-1\n", "line 5")]
    [InlineData("coldtrace.recalls/v2\n4012345000009\n1\n2026-11-24T07:00:00.123Z\n", "not a recall list")]
    public void TryParseText_Malformed_ReasonNamesThePart(string text, string expected)
    {
        Assert.False(RecallList.TryParseText(text, out var list, out var reason));
        Assert.Null(list);
        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatText_RecallIdWithSpace_Throws()
    {
        var list = new RecallList(Site(), 1, Time, [new RecalledPack(Pack("A1"), "R 1")]);

        Assert.Throws<ArgumentException>(() => list.FormatText());
    }

    [Fact]
    public void TryOpen_Utf8Payload_SameAsText()
    {
        var payload = Encoding.UTF8.GetBytes(Sample().Sign(Hub));

        Assert.True(RecallList.TryOpen(Encoding.UTF8.GetString(payload), Hub.Verifier, out _, out _));
    }

    private static RecallList Sample() => new(Site(), 42, Time, [new RecalledPack(Pack("B7"), "R-1"), new RecalledPack(Pack("A1"), "R-2")]);

    private static Gln Site() => Gln.TryParse("4012345000009", out var gln, out var reason) ? gln : throw new InvalidOperationException(reason);

    private static PackKey Pack(string serial) =>
        Gtin.TryParse("09506000134352", out var gtin, out _) && Serial.TryParse(serial, out var s, out _)
            ? new PackKey(gtin, s)
            : throw new InvalidOperationException(serial);
}
