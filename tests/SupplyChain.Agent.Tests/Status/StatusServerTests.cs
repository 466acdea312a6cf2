using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupplyChain.Agent.Delivery;
using SupplyChain.Agent.Recalls;
using SupplyChain.Agent.Sensors;
using SupplyChain.Agent.Sensors.Sampling;
using SupplyChain.Agent.Station;
using SupplyChain.Agent.Status;
using SupplyChain.Agent.Tests.Outbox;
using SupplyChain.Agent.Tests.Recalls;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Agent.Tests.Status;

/// <summary>The loopback endpoint over a real outbox and a real HTTP client.</summary>
public sealed class StatusServerTests : IAsyncLifetime, IDisposable
{
    private readonly OutboxFixture _outbox = new();
    private readonly ApplicationLifetime _lifetime = new(NullLogger<ApplicationLifetime>.Instance);
    private readonly DeliveryState _delivery = new();
    private readonly SensorFaultCounts _faults = new();
    private readonly SignedLists _lists = new();
    private readonly HttpClient _http = new();
    private readonly int _port = AgentHost.FreePort();
    private readonly RecallStore _recalls;
    private readonly StatusServer _server;
    private readonly AgentStatusSource _source;

    public StatusServerTests()
    {
        _recalls = RecallStore.Open(SignedLists.Site, _lists.Hub.Verifier, _outbox.DirectoryPath, NullLogger<RecallStore>.Instance);
        var source = _source = new AgentStatusSource(
            _outbox.Outbox,
            _delivery,
            Options.Create(new DeliveryOptions { Host = "127.0.0.1", Password = "p" }),
            new ClockSync(_outbox.DatabasePath),
            _recalls,
            _faults,
            _lifetime,
            _outbox.Time);
        _server = new StatusServer(source, Options.Create(new StatusOptions { Port = _port }), NullLogger<StatusServer>.Instance);
    }

    public Task InitializeAsync() => _server.StartAsync(CancellationToken.None);

    public async Task DisposeAsync() => await _server.StopAsync(CancellationToken.None);

    public void Dispose()
    {
        _server.Dispose();
        _http.Dispose();
        _outbox.Dispose();
    }

    [Fact]
    public async Task Healthz_HostNotStartedYet_503WithTheReason()
    {
        var response = await GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync(StatusJson.Default.HealthAnswer);
        Assert.Equal(new HealthAnswer("unhealthy", "the agent is starting", _outbox.Time.GetUtcNow()), body);
    }

    [Fact]
    public async Task Healthz_Started_200()
    {
        _lifetime.NotifyStarted();

        var response = await GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("ok", (await response.Content.ReadFromJsonAsync(StatusJson.Default.HealthAnswer))!.Status);
    }

    [Fact]
    public async Task Healthz_Stopping_503()
    {
        _lifetime.NotifyStarted();
        _lifetime.StopApplication();

        var response = await GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("the agent is stopping", (await response.Content.ReadFromJsonAsync(StatusJson.Default.HealthAnswer))!.Reason);
    }

    [Fact]
    public async Task Metrics_BacklogAckFaultsConnectionRecalls_EveryFamilyWithItsValue()
    {
        _lifetime.NotifyStarted();
        var first = _outbox.AppendShip("A1");
        _outbox.Outbox.MarkAcked(first.EventId, 41);
        _outbox.AppendShip("A2");
        _outbox.AppendReport(5m);
        _outbox.Time.Advance(TimeSpan.FromSeconds(90));
        _delivery.Connected(_outbox.Time.GetUtcNow(), draining: false);
        _delivery.Acked(_outbox.Time.GetUtcNow(), 41);
        _faults.Record(Window("sht3x-0x44", (SensorFaultReason.Nack, 3), (SensorFaultReason.BadCrc, 1)));
        _faults.Record(Window("sht3x-0x44", (SensorFaultReason.Nack, 2)));
        _recalls.Offer(_lists.Note(42, SignedLists.Site, ("A1", "R-2")));
        _recalls.Offer(_lists.Note(41, SignedLists.Site));

        var response = await GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var samples = Samples(await response.Content.ReadAsStringAsync());
        Assert.Equal("1", samples["coldtrace_agent_healthy"]);
        Assert.Equal("1", samples["coldtrace_agent_outbox_backlog{kind=\"custody\"}"]);
        Assert.Equal("1", samples["coldtrace_agent_outbox_backlog{kind=\"sensor\"}"]);
        Assert.Equal("90", samples["coldtrace_agent_outbox_oldest_unacked_age_seconds"]);
        Assert.Equal("1795485600", samples["coldtrace_agent_last_ack_timestamp_seconds"]);
        Assert.Equal("1", samples["coldtrace_agent_delivery_connected"]);
        Assert.Equal("1", samples["coldtrace_agent_delivery_acked_total"]);
        Assert.Equal("0", samples["coldtrace_agent_delivery_rejected_total"]);
        Assert.Equal("5", samples["coldtrace_agent_sensor_faults_total{sensor=\"sht3x-0x44\",reason=\"nack\"}"]);
        Assert.Equal("1", samples["coldtrace_agent_sensor_faults_total{sensor=\"sht3x-0x44\",reason=\"bad_crc\"}"]);
        Assert.Equal("1", samples["coldtrace_agent_clock_synced"]);
        Assert.Equal("42", samples["coldtrace_agent_recall_list_version"]);
        Assert.Equal("1", samples["coldtrace_agent_recall_lists_older_total"]);
    }

    [Fact]
    public void ReadStation_BacklogRejectedFaults_SameReadingAsStatus()
    {
        var first = _outbox.AppendShip("A1");
        _outbox.Time.Advance(TimeSpan.FromSeconds(5));
        _outbox.AppendShip("A2");
        _outbox.AppendReport(5m);
        _outbox.Outbox.MarkRejected(first.EventId, "bad_event");
        _faults.Record(Window("sht3x-0x44", (SensorFaultReason.Nack, 3)));
        _faults.Record(Window("sht3x-0x44", (SensorFaultReason.BadCrc, 1)));
        _faults.Record(Window("w1-28-00000a", (SensorFaultReason.Stale, 2)));
        Assert.True(DeviceId.TryParse("dock-7", out var device, out _));

        var station = _source.ReadStation(device);
        var status = _source.Read();

        Assert.Equal(("dock-7", _outbox.Time.GetUtcNow()), (station.Device, station.Time));
        Assert.Equal((status.Outbox!.PendingCustody, status.Outbox.SensorBacklog, status.Outbox.OldestUnacked, status.Outbox.Rejected), (station.CustodyBacklog, station.SensorBacklog, station.OldestWaiting, station.Rejected));
        Assert.Equal((1L, 1L, 1L), (station.CustodyBacklog, station.SensorBacklog, station.Rejected));
        Assert.Equal(
            [new StationSensorFaults { Sensor = "sht3x-0x44", Count = 4, LastFault = "bad_crc" }, new StationSensorFaults { Sensor = "w1-28-00000a", Count = 2, LastFault = "stale" }],
            station.SensorFaults);
        Assert.Equal(status.ClockSynced, station.ClockSynced);
        Assert.False(string.IsNullOrEmpty(station.AgentVersion));
        Assert.True(StationStatus.TryDecode(StationStatus.Encode(station), out _, out var error), error.ToString());
    }

    [Fact]
    public async Task Metrics_EveryFamily_HasHelpAndTypeBeforeItsSamples()
    {
        _lifetime.NotifyStarted();
        _faults.Record(Window("w1-28-00000a\"x", (SensorFaultReason.Stale, 1)));

        var lines = (await _http.GetStringAsync(Url("/metrics"))).Split('\n');

        var typed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.Contains(parts[3], (string[])["gauge", "counter"]);
                typed.Add(parts[2]);
            }
            else if (!line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                Assert.Matches("^[a-z_]+(\\{.*\\})? -?[0-9.E+-]+$", line);
                Assert.Contains(line.Split('{', ' ')[0], typed);
            }
        }

        Assert.Contains("coldtrace_agent_sensor_faults_total{sensor=\"w1-28-00000a\\\"x\",reason=\"stale\"} 1", lines);
    }

    [Fact]
    public async Task Status_Json_RoundTripsTheAgentStatus()
    {
        _lifetime.NotifyStarted();
        _outbox.AppendShip("A1");

        var status = await _http.GetFromJsonAsync(Url("/status"), StatusJson.Default.AgentStatus);

        Assert.NotNull(status);
        Assert.True(status.AgentRunning);
        Assert.True(status.Healthy);
        Assert.Equal(1, status.Outbox!.PendingCustody);
        Assert.True(status.DeliveryEnabled);
        Assert.False(status.Delivery!.Connected);
        Assert.True(status.ClockSynced);
        Assert.Equal(new RecallStatus(true, null, null, 0, 0, 0, 0, null), status.Recalls);
        Assert.Empty(status.SensorFaults!);
    }

    [Theory]
    [InlineData("GET", "/nothing", HttpStatusCode.NotFound)]
    [InlineData("POST", "/healthz", HttpStatusCode.MethodNotAllowed)]
    public async Task Request_OtherPathOrMethod_ClientError(string method, string path, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Url(path));

        using var response = await _http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public void Listener_BoundTo127001Only()
    {
        // /proc/net/tcp{,6} list sockets as hex "address:port"; state 0A is LISTEN (Linux proc(5)).
        var port = _port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        var listening = File.ReadLines("/proc/net/tcp").Concat(File.ReadLines("/proc/net/tcp6"))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 3 && f[1].EndsWith(":" + port, StringComparison.Ordinal) && f[3] == "0A")
            .Select(f => f[1])
            .ToList();

        Assert.Equal(["0100007F:" + port], listening);
    }

    [Fact]
    public async Task Start_PortAlreadyTaken_LogsAndTheHostGoesOn()
    {
        var log = new Scanners.ListLogger<StatusServer>();
        var source = new AgentStatusSource(
            _outbox.Outbox, _delivery, Options.Create(new DeliveryOptions()), new ClockSync("/nonexistent"), _recalls, _faults, _lifetime, _outbox.Time);
        using var second = new StatusServer(source, Options.Create(new StatusOptions { Port = _port }), log);

        await second.StartAsync(CancellationToken.None);
        await second.StopAsync(CancellationToken.None);

        Assert.Contains(log.Messages, m => m.StartsWith($"Status endpoint could not listen on 127.0.0.1:{_port}", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync("/healthz")).StatusCode);
    }

    private Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(Url(path));

    private Uri Url(string path) => new($"http://127.0.0.1:{_port}{path}");

    private static Dictionary<string, string> Samples(string text) =>
        text.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToDictionary(l => l[..l.LastIndexOf(' ')], l => l[(l.LastIndexOf(' ') + 1)..], StringComparer.Ordinal);

    private static SensorWindowReport Window(string sensor, params (SensorFaultReason Reason, int Count)[] faults) => new(
        sensor,
        DateTimeOffset.UnixEpoch,
        DateTimeOffset.UnixEpoch.AddMinutes(5),
        [],
        null,
        null,
        null,
        faults.Sum(f => f.Count),
        faults.ToDictionary(f => f.Reason, f => f.Count),
        IsPartial: false);
}
