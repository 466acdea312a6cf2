using SupplyChain.Agent.Outbox;

namespace SupplyChain.Agent.Tests.Outbox;

public sealed class StatusCommandTests
{
    [Fact]
    public void Write_OutboxWithBacklogAckGapAndRecovery_EveryFigure()
    {
        using var fixture = new OutboxFixture(new OutboxOptions { MaxSensorReports = 1 });
        var first = fixture.AppendShip("A1");
        fixture.Outbox.MarkAcked(first.EventId, 41);
        fixture.AppendShip("A2");
        fixture.AppendReport(5m);
        fixture.AppendReport(5.5m);
        fixture.Time.Advance(TimeSpan.FromMinutes(90));

        using var output = new StringWriter();
        StatusCommand.Write(output, EventOutbox.ReadStatus(fixture.DatabasePath)!, fixture.Time.GetUtcNow(), clockSynced: false);

        Assert.Equal(
            [
                "custody pending:   1",
                "sensor backlog:    1 (0 signed, 1 queued)",
                "oldest unacked:    0.01:30:00",
                "last ack:          seq 0 at log index 41, 0.01:30:00 ago",
                "rejected:          0",
                "sensor gaps:       1",
                "next seq:          2",
                "clock synced:      no",
            ],
            output.ToString().TrimEnd().Split(Environment.NewLine));
    }
}
