using SupplyChain.Agent.Scanners;

namespace SupplyChain.Agent.Tests.Scanners;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void NextDelay_Repeated_DoublesWithJitterUpToTheCap()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), new Random(42));
        double[] ceilings = [1, 2, 4, 8, 8, 8];

        foreach (var ceiling in ceilings)
        {
            var delay = backoff.NextDelay().TotalSeconds;
            Assert.InRange(delay, ceiling / 2, ceiling);
        }
    }

    [Fact]
    public void Reset_AfterGrowth_StartsAgainFromInitial()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), new Random(1));
        backoff.NextDelay();
        backoff.NextDelay();
        backoff.NextDelay();

        backoff.Reset();

        Assert.InRange(backoff.NextDelay().TotalSeconds, 0.5, 1);
    }

    [Fact]
    public void NextDelay_DifferentSeeds_Differ() =>
        Assert.NotEqual(
            new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), new Random(1)).NextDelay(),
            new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), new Random(2)).NextDelay());
}
