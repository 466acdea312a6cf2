using Microsoft.Extensions.DependencyInjection;
using SupplyChain.Agent.Delivery;
using SupplyChain.Agent.Feedback;
using SupplyChain.Agent.Outbox;
using SupplyChain.Agent.Recalls;
using SupplyChain.Agent.Station;
using SupplyChain.Agent.Tests.Outbox;
using SupplyChain.Agent.Tests.Status;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Agent.Tests.Recalls;

/// <summary>
/// The whole path of PROTOCOL.md §5.6 in the agent's real host: a real broker holds the hub-signed list as a retained
/// message, the delivery connection receives it, and with the broker gone a pharmacy still refuses the recalled pack —
/// also after a restart.
/// </summary>
public sealed class OfflineRecallTests : IAsyncLifetime, IDisposable
{
    private const string DeviceId = "pharmacy-7";
    private const string Password = "s3cret-for-pharmacy-7";
    private readonly TempDirectory _directory = new();
    private readonly SignedLists _lists = new();
    private readonly RecallBroker _broker = new(DeviceId, Password);

    public Task InitializeAsync() => _broker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Scan_RetainedListReceivedThenBrokerStopped_RecalledRedWithoutEventUnlistedGreen()
    {
        await _broker.PublishRetainedAsync(ColdTraceTopic.SiteRecalls(SignedLists.Site), _lists.Note(42, SignedLists.Site, ("A1", "R-2")));
        using (var agent = AgentHost.Build(Settings()))
        {
            await agent.StartAsync();
            var store = agent.Services.GetRequiredService<RecallStore>();
            await AgentHost.Eventually(() => store.Current is { Version: 42 });

            await _broker.StopAsync();
            var delivery = agent.Services.GetRequiredService<DeliveryState>();
            await AgentHost.Eventually(() => delivery.Current is { Connected: false, ConnectAttempts: > 0 });

            var workflow = agent.Services.GetRequiredService<StationWorkflow>();
            var outbox = agent.Services.GetRequiredService<EventOutbox>();
            Assert.Equal(ScanOutcome.Red("recalled (R-2)"), workflow.Handle(SignedLists.Scan("A1")));
            Assert.Equal(0, outbox.ReadStatus().PendingCustody);
            Assert.Equal(ScanOutcome.Green, workflow.Handle(SignedLists.Scan("A2")));
            Assert.Equal(1, outbox.ReadStatus().PendingCustody);
            await agent.StopAsync();
        }

        // Restarted while the hub is still unreachable: the list kept on disk is in force from the start.
        using var restarted = AgentHost.Build(Settings());
        await restarted.StartAsync();
        var again = restarted.Services.GetRequiredService<StationWorkflow>();
        Assert.Equal(ScanOutcome.Red("recalled (R-2)"), again.Handle(SignedLists.Scan("A1")));
        Assert.Equal(1, restarted.Services.GetRequiredService<EventOutbox>().ReadStatus().PendingCustody);
        await restarted.StopAsync();
    }

    [Fact]
    public async Task Connect_RetainedListForgedAndOlder_HeldListStays()
    {
        await _broker.PublishRetainedAsync(ColdTraceTopic.SiteRecalls(SignedLists.Site), _lists.Note(42, SignedLists.Site, ("A1", "R-2")));
        using var agent = AgentHost.Build(Settings());
        await agent.StartAsync();
        var store = agent.Services.GetRequiredService<RecallStore>();
        await AgentHost.Eventually(() => store.Current is { Version: 42 });

        var forger = Contracts.Ledger.NoteSigner.Generate(_lists.Hub.Name);
        await _broker.PublishRetainedAsync(ColdTraceTopic.SiteRecalls(SignedLists.Site), SignedLists.Note(forger, 99, SignedLists.Site));
        await _broker.PublishRetainedAsync(ColdTraceTopic.SiteRecalls(SignedLists.Site), _lists.Note(41, SignedLists.Site));
        await AgentHost.Eventually(() => store.Status() is { Refused: 1, Older: 1 });

        Assert.Equal(42, store.Current!.Version);
        Assert.Equal(ScanOutcome.Red("recalled (R-2)"), agent.Services.GetRequiredService<StationWorkflow>().Handle(SignedLists.Scan("A1")));
        await agent.StopAsync();
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Station:Role"] = "pharmacy",
        ["Station:SiteGln"] = SignedLists.SiteGln,
        ["Station:DeviceId"] = DeviceId,
        ["Station:DataDirectory"] = _directory.Path,
        ["Delivery:Host"] = "127.0.0.1",
        ["Delivery:Port"] = _broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Delivery:Password"] = Password,
        ["Delivery:HubKey"] = _lists.Hub.VerifierKey,
        ["Delivery:BackoffInitial"] = "00:00:00.100",
        ["Delivery:BackoffMax"] = "00:00:00.500",
        ["Delivery:PollInterval"] = "00:00:00.050",
        ["Status:Port"] = "0",
    };
}
