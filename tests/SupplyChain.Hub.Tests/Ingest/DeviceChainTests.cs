using SupplyChain.Contracts.Events;
using SupplyChain.Hub.Ingest;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Hub.Tests.Ingest;

public sealed class DeviceChainTests
{
    private static readonly EventId A = EventId.Compute("a"u8);
    private static readonly EventId B = EventId.Compute("b"u8);

    private static DeviceStamp Stamp(long seq, EventId prev) => new("d", seq, prev, "boot", ClockSynced: false);

    [Theory]
    [InlineData(0, false, nameof(ChainPlacement.Next))]
    [InlineData(0, true, nameof(ChainPlacement.Broken))]
    // A zero prev above seq 0: a station whose store was lost before its first delivery starts its chain higher up.
    [InlineData(1, false, nameof(ChainPlacement.Restart))]
    [InlineData(7, true, nameof(ChainPlacement.Ahead))]
    public void Place_NoHead_ChainStartsAtSeqZeroWithZeroPrev(long seq, bool prevIsA, string expected) =>
        Assert.Equal(expected, DeviceChain.Place(null, Stamp(seq, prevIsA ? A : EventId.None)).ToString());

    [Fact]
    public void Place_AgainstHead_NextAheadRestartForkBroken()
    {
        var head = new ChainHead(5, A);

        Assert.Equal(ChainPlacement.Next, DeviceChain.Place(head, Stamp(6, A)));
        Assert.Equal(ChainPlacement.Broken, DeviceChain.Place(head, Stamp(6, B)));
        Assert.Equal(ChainPlacement.Broken, DeviceChain.Place(head, Stamp(6, EventId.None)));
        Assert.Equal(ChainPlacement.Ahead, DeviceChain.Place(head, Stamp(8, B)));
        Assert.Equal(ChainPlacement.Restart, DeviceChain.Place(head, Stamp(1024, EventId.None)));
        Assert.Equal(ChainPlacement.Fork, DeviceChain.Place(head, Stamp(5, B)));
        Assert.Equal(ChainPlacement.Fork, DeviceChain.Place(head, Stamp(0, EventId.None)));
    }
}
