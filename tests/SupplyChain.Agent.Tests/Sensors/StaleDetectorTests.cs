using SupplyChain.Agent.Sensors;
using SupplyChain.Agent.Tests.Delivery;

namespace SupplyChain.Agent.Tests.Sensors;

/// <summary>Stale frames measured on the monotonic clock, whatever the wall clock does (issue #7 "clock jumps").</summary>
public sealed class StaleDetectorTests
{
    private static readonly byte[] Frame = [0x61, 0x01, 0x4b, 0x46, 0x7f, 0xff, 0x0c, 0x10, 0x4a];

    [Fact]
    public void IsStale_SameFrameAfterWallClockSteppedForwardMonths_NotStale()
    {
        var clock = new SteppedWallClock();
        var detector = new StaleDetector(TimeSpan.FromMinutes(10), clock);

        Assert.False(detector.IsStale(Frame, out _));
        clock.Step(TimeSpan.FromDays(120));

        Assert.False(detector.IsStale(Frame, out var unchangedFor));
        Assert.True(unchangedFor < TimeSpan.FromMinutes(1), unchangedFor.ToString());
    }

    [Fact]
    public async Task IsStale_FrozenFrameAfterWallClockSteppedBack_StillStaleAfterTheLimit()
    {
        var clock = new SteppedWallClock();
        var detector = new StaleDetector(TimeSpan.FromMilliseconds(50), clock);

        Assert.False(detector.IsStale(Frame, out _));
        clock.Step(TimeSpan.FromDays(-120));
        await Task.Delay(TimeSpan.FromMilliseconds(200));

        Assert.True(detector.IsStale(Frame, out var unchangedFor));
        Assert.True(unchangedFor >= TimeSpan.FromMilliseconds(50), unchangedFor.ToString());
    }
}
