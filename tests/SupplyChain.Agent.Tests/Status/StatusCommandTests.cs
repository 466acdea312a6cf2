using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SupplyChain.Agent.Delivery;
using SupplyChain.Agent.Feedback;
using SupplyChain.Agent.Outbox;
using SupplyChain.Agent.Recalls;
using SupplyChain.Agent.Station;
using SupplyChain.Agent.Status;
using SupplyChain.Agent.Tests.Outbox;
using SupplyChain.Agent.Tests.Recalls;

namespace SupplyChain.Agent.Tests.Status;

public sealed class StatusCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SignedLists _lists = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Write_StoppedAgentsStore_EveryStoredFigure()
    {
        using var fixture = new OutboxFixture(new OutboxOptions { MaxSensorReports = 1 });
        var first = fixture.AppendShip("A1");
        fixture.Outbox.MarkAcked(first.EventId, 41);
        fixture.AppendShip("A2");
        fixture.AppendReport(5m);
        fixture.AppendReport(5.5m);
        fixture.Time.Advance(TimeSpan.FromMinutes(90));
        fixture.Close();

        var (running, status) = StatusCommand.ReadStoppedAgent(fixture.DirectoryPath, deliveryEnabled: true, fixture.Time.GetUtcNow(), clockSynced: false);
        using var output = new StringWriter();
        StatusCommand.Write(output, status!, "not running");

        Assert.False(running);
        Assert.Equal(
            [
                "agent:             not running",
                "custody pending:   1",
                "sensor backlog:    1 (0 signed, 1 queued)",
                "oldest unacked:    0.01:30:00",
                "last ack:          seq 0 at log index 41, 0.01:30:00 ago",
                "rejected:          0",
                "sensor gaps:       1",
                "next seq:          2",
                "connection:        - (agent not running)",
                "clock synced:      no",
                "recall list:       - (agent not running)",
                "sensor faults:     - (agent not running)",
            ],
            Lines(output));
        fixture.Reopen();
    }

    [Fact]
    public void Write_RunningAgent_ConnectionRejectionsRecallsAndFaults()
    {
        var now = new DateTimeOffset(2026, 11, 24, 4, 0, 0, TimeSpan.Zero);
        var store = new OutboxStatus(3, 2, 5, 1, 0, 120, 0, now.AddMinutes(-7), 116, 9001, now.AddSeconds(-30), null, null);
        var delivery = new DeliverySnapshot(false, now.AddMinutes(-8), 4, "connection refused", now.AddSeconds(-30), 9001, 17, 1, false, 0);
        var recalls = new RecallStatus(true, 42, new DateTimeOffset(2026, 11, 24, 3, 0, 0, TimeSpan.Zero), 2, 1, 1, 1, "signature: no known key");
        RejectedEvent[] rejected = [new(12, "7b50ef484e5e0be101e631e53809660e1143b68f7dee6547eb79de2519f390a1", "custody", "too_large", now.AddMinutes(-5))];
        var status = new AgentStatus(now, true, true, null, store, true, delivery, true, recalls, [new("sht3x-0x44", "bad_crc", 1), new("sht3x-0x44", "nack", 5), new("w1-28-01", "stale", 2)], rejected);
        using var output = new StringWriter();

        StatusCommand.Write(output, status, "running");

        Assert.Equal(
            [
                "agent:             running",
                "health:            ok",
                "custody pending:   3",
                "sensor backlog:    7 (2 signed, 5 queued)",
                "oldest unacked:    0.00:07:00",
                "last ack:          seq 116 at log index 9001, 0.00:00:30 ago",
                "rejected:          1",
                "  seq 12 (custody) 7b50ef484e5e0be101e631e53809660e1143b68f7dee6547eb79de2519f390a1 at 2026-11-24 03:55:00Z: too_large",
                "sensor gaps:       0",
                "next seq:          120",
                "connection:        disconnected since 2026-11-24 03:52:00Z, 4 failed attempt(s), last error: connection refused; this run 17 acked, 1 rejected",
                "clock synced:      yes",
                "recall list:       version 42 built 2026-11-24 03:00:00Z, 2 recalled pack(s); 1 refused (last: signature: no known key), 1 older ignored",
                "sensor faults:     sht3x-0x44 bad_crc=1, nack=5; w1-28-01 stale=2",
            ],
            Lines(output));
    }

    [Fact]
    public async Task Run_AgentRunning_AnsweredByItsEndpointNotTheStore()
    {
        var settings = Settings(AgentHost.FreePort());
        using var agent = AgentHost.Build(settings);
        await agent.StartAsync();
        agent.Services.GetRequiredService<RecallStore>().Offer(_lists.Note(42, SignedLists.Site, ("A1", "R-2")));
        Assert.Equal(Signal.Green, agent.Services.GetRequiredService<StationWorkflow>().Handle(SignedLists.Scan("A2")).Signal);

        var (code, output, error) = await RunAsync(settings);

        Assert.Equal(0, code);
        Assert.Empty(error);
        var lines = output.TrimEnd().Split(Environment.NewLine);
        Assert.Equal($"agent:             running, answered on http://127.0.0.1:{settings["Status:Port"]}/status", lines[0]);
        Assert.Contains("health:            ok", lines);
        Assert.Contains("custody pending:   1", lines);
        Assert.Contains("connection:        delivery off (Delivery:Host is empty): events wait in the outbox", lines);
        Assert.Contains(lines, l => l.StartsWith("recall list:       version 42 built 2026-11-24 07:00:00Z, 1 recalled pack(s)", StringComparison.Ordinal));
        Assert.Contains("sensor faults:     none", lines);
        await agent.StopAsync();
    }

    [Fact]
    public async Task Run_NoAgentRunning_ReadsTheStore()
    {
        var settings = Settings(AgentHost.FreePort());
        using (var agent = AgentHost.Build(settings))
        {
            await agent.StartAsync();
            Assert.Equal(Signal.Green, agent.Services.GetRequiredService<StationWorkflow>().Handle(SignedLists.Scan("A2")).Signal);
            await agent.StopAsync();
        }

        var (code, output, _) = await RunAsync(settings);

        Assert.Equal(0, code);
        var lines = output.TrimEnd().Split(Environment.NewLine);
        Assert.StartsWith($"agent:             not running (127.0.0.1:{settings["Status:Port"]} did not answer (", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"; read from {Path.Combine(_directory.Path, EventOutbox.FileName)}", lines[0], StringComparison.Ordinal);
        Assert.Contains("custody pending:   1", lines);
        Assert.Contains("connection:        delivery off (Delivery:Host is empty): events wait in the outbox", lines);
    }

    [Fact]
    public async Task Run_AgentRunningWithEndpointOff_DoesNotOpenTheStoreExitOne()
    {
        var settings = Settings(port: 0);
        using var agent = AgentHost.Build(settings);
        await agent.StartAsync();

        var (code, output, error) = await RunAsync(settings);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Equal($"an agent is running on {_directory.Path} but the status endpoint is off (Status:Port = 0); its store is not opened beside it", error.TrimEnd());
        await agent.StopAsync();
    }

    [Fact]
    public async Task Run_NoOutboxYet_SaysSo()
    {
        var (code, output, _) = await RunAsync(Settings(AgentHost.FreePort()));

        Assert.Equal(0, code);
        Assert.Equal($"no outbox in {_directory.Path} yet", output.TrimEnd());
    }

    private Dictionary<string, string?> Settings(int port) => new()
    {
        ["Station:Role"] = "pharmacy",
        ["Station:SiteGln"] = SignedLists.SiteGln,
        ["Station:DeviceId"] = "pharmacy-7",
        ["Station:DataDirectory"] = _directory.Path,
        ["Delivery:HubKey"] = _lists.Hub.VerifierKey,
        ["Status:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static async Task<(int Code, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var root = new RootCommand { TreatUnmatchedTokensAsErrors = false };
        root.Subcommands.Add(StatusCommand.Create(BuildHost, TimeProvider.System, clockMarker: "/nonexistent/coldtrace-clock-marker"));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await root.Parse(["status", .. AgentHost.Arguments(settings)]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private static IHost BuildHost(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddCommandLine(args);
        builder.AddAgentOptions();
        return builder.Build();
    }

    private static string[] Lines(StringWriter output) => output.ToString().TrimEnd().Split(Environment.NewLine);
}
