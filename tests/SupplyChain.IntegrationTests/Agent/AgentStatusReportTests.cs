using SupplyChain.Contracts.Gs1;
using SupplyChain.Hub.Devices;

namespace SupplyChain.IntegrationTests.Agent;

/// <summary>
/// The real agent reporting its status to the real hub (PROTOCOL.md §5.8): the hub shows the station's backlog, and a
/// restarted hub gets the report again when the agent reconnects.
/// </summary>
public sealed class AgentStatusReportTests
{
    private const string DeviceId = "status-1";
    private const string Gtin = "09506000134352";

    [Fact]
    public async Task Agent_HubRestartedWhileEventsWait_HubSeesTheBacklogThenItDrained()
    {
        await using var hub = await HubProcess.StartAsync();
        await using var agent = await AgentProcess.EnrolAsync(hub, DeviceId, "commissioning", "manufacturer", "--Delivery:StatusInterval=00:00:02");
        await agent.StartAsync();
        await agent.EventuallyAsync(() => Report(hub) is { CustodyBacklog: 0 }, "first status report");
        Assert.False(string.IsNullOrEmpty(Report(hub)!.AgentVersion));

        await hub.StopAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await agent.ScanAsync(Scan($"ST{i:D3}")));
        }

        await agent.EventuallyAsync(() => agent.TryReadStatus() is { PendingCustody: 3 }, "three events waiting");
        await hub.RestartAsync();

        // The report sent on reconnect, before the events go out, shows them waiting; the next one, after the acks, not.
        await agent.EventuallyAsync(() => Report(hub) is { CustodyBacklog: 3, OldestWaiting: not null }, "backlog reported on reconnect", state: () => $"{Report(hub)}");
        await agent.EventuallyAsync(() => Report(hub) is { CustodyBacklog: 0 }, "drained backlog reported", state: () => $"{Report(hub)}");
        Assert.Equal(3, hub.DeviceEvents(DeviceId).Count);
    }

    private static Contracts.Topics.StationStatus? Report(HubProcess hub) =>
        hub.IsRunning ? hub.Service<DeviceStatusBoard>().Of(DeviceId)?.Status : null;

    private static string Scan(string serial)
    {
        Assert.True(Gs1CheckDigit.IsValid(Gtin));
        return $"01{Gtin}21{serial}\u001d10LOT42\u001d17301231";
    }
}
