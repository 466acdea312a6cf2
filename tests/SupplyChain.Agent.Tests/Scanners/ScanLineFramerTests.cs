using System.Text;
using SupplyChain.Agent.Scanners;

namespace SupplyChain.Agent.Tests.Scanners;

public sealed class ScanLineFramerTests
{
    [Fact]
    public void Feed_CrLfSplitBetweenChunks_YieldsNoEmptyScan()
    {
        var framer = new ScanLineFramer(Fnc1Substitute.None);
        var scans = new List<string>();

        framer.Feed("0109501101530008\r"u8, scans);
        framer.Feed("\n21AB"u8, scans);
        framer.Feed("C\r\n"u8, scans);

        Assert.Equal(["0109501101530008", "21ABC"], scans);
    }

    [Theory]
    [InlineData("A\rB\nC\r\nD\n\r\n\nE\r")]
    [InlineData("\r\nA\r\r\rB\nC\nD\r\nE\n")]
    public void Feed_AnyMixOfTerminators_YieldsTheSameScans(string input)
    {
        foreach (var chunk in new[] { 1, 2, 3, 100 })
        {
            Assert.Equal(["A", "B", "C", "D", "E"], FeedInChunks(Encoding.ASCII.GetBytes(input), chunk));
        }
    }

    [Fact]
    public void Feed_GroupSeparatorAndHighBytes_ArePassedThroughOneToOne()
    {
        var scans = FeedInChunks([(byte)'1', 0x1D, (byte)'2', 0xE9, (byte)'\n'], 2);

        Assert.Equal(["1\u001D2\u00E9"], scans);
    }

    [Fact]
    public void Feed_NoTerminatorYet_HoldsTheScan()
    {
        var framer = new ScanLineFramer(Fnc1Substitute.None);
        var scans = new List<string>();

        framer.Feed("0109501"u8, scans);

        Assert.Empty(scans);
    }

    [Fact]
    public void Feed_OverlongLine_IsDiscardedWholeAndCounted()
    {
        var framer = new ScanLineFramer(Fnc1Substitute.None, maxScanLength: 8);
        var scans = new List<string>();

        framer.Feed("12345678\n123456789012\nok\n"u8, scans);

        Assert.Equal(["12345678", "ok"], scans);
        Assert.Equal(1, framer.DiscardedScans);
    }

    [Fact]
    public void Feed_SubstituteConfigured_BecomesGroupSeparator()
    {
        Assert.True(Fnc1Substitute.TryCreate('^', out var caret, out _));
        var framer = new ScanLineFramer(caret);
        var scans = new List<string>();

        framer.Feed("10AB^21C\n"u8, scans);

        Assert.Equal(["10AB\u001D21C"], scans);
    }

    private static List<string> FeedInChunks(byte[] bytes, int chunk)
    {
        var framer = new ScanLineFramer(Fnc1Substitute.None);
        var scans = new List<string>();
        for (var i = 0; i < bytes.Length; i += chunk)
        {
            framer.Feed(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)), scans);
        }

        return scans;
    }
}
