using Microsoft.Extensions.Options;
using SupplyChain.Agent.Outbox;

namespace SupplyChain.Agent.Tests.Outbox;

public sealed class JournalMoverServiceTests
{
    [Fact]
    public async Task Run_IntervalPasses_JournaledScansCopiedIntoTheStore()
    {
        using var fixture = new OutboxFixture();
        fixture.AppendShip("A0");
        fixture.AppendShip("A1");
        using var mover = new JournalMoverService(fixture.Outbox, Options.Create(new OutboxOptions()), fixture.Time);
        await mover.StartAsync(CancellationToken.None);

        Assert.Equal(2, fixture.Outbox.Unmoved);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (fixture.Outbox.Unmoved > 0 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            fixture.Time.Advance(new OutboxOptions().JournalMoveInterval);
            await Task.Delay(20);
        }

        await mover.StopAsync(CancellationToken.None);
        Assert.Equal(0, fixture.Outbox.Unmoved);
        Assert.Equal(2, EventOutbox.ReadStatus(fixture.DatabasePath)!.PendingCustody);
        Assert.Equal(0, EventOutbox.CountJournaled(fixture.DatabasePath));
    }
}
