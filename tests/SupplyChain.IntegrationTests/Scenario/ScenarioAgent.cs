using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using NSec.Cryptography;
using SupplyChain.Agent.Identity;
using SupplyChain.Agent.Outbox;
using SupplyChain.Agent.Recalls;
using SupplyChain.Agent.Status;

namespace SupplyChain.IntegrationTests.Scenario;

/// <summary>
/// One real station (<c>coldtrace-agent</c>) as a child process: its key made in its data directory before the hub enrols
/// it, scans typed into its TCP scanner port, and the hub's acknowledgements read from its outbox file.
/// </summary>
internal sealed class ScenarioAgent : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly IReadOnlyList<string> _configuration;
    private readonly int _scannerPort = ScenarioBroker.FreePort();
    private readonly int _statusPort = ScenarioBroker.FreePort();
    private Process? _process;
    private TcpClient? _scanner;

    private ScenarioAgent(string deviceId, string site, string hubRole, IReadOnlyList<string> configuration)
    {
        DeviceId = deviceId;
        Site = site;
        HubRole = hubRole;
        _configuration = configuration;
        DataDirectory = Directory.CreateTempSubdirectory($"coldtrace-scenario-{deviceId}-").FullName;
        using var identity = DeviceIdentity.LoadOrCreate(DataDirectory, deviceId);
        PublicKeyBase64 = identity.PublicKeyBase64;
        PublicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromBase64String(PublicKeyBase64), KeyBlobFormat.RawPublicKey);
    }

    public string DeviceId { get; }

    public string Site { get; }

    /// <summary>The device role the hub enrols it under (manufacturer, warehouse, pharmacy, sensor).</summary>
    public string HubRole { get; }

    public string DataDirectory { get; }

    public string PublicKeyBase64 { get; }

    public PublicKey PublicKey { get; }

    public string Password => $"scenario-{DeviceId}-pa55word";

    public string Output => string.Join('\n', _output);

    /// <summary>A station; <paramref name="configuration"/> holds its role and sensor settings as command-line configuration.</summary>
    public static ScenarioAgent Create(string deviceId, string site, string hubRole, params string[] configuration) =>
        new(deviceId, site, hubRole, configuration);

    /// <summary>Starts the station; <paramref name="more"/> is configuration known only now (such as a scheduled excursion).</summary>
    public void Start(ScenarioBroker broker, params string[] more)
    {
        string[] arguments =
        [
            $"--Station:SiteGln={Site}",
            $"--Station:DeviceId={DeviceId}",
            $"--Station:DataDirectory={DataDirectory}",
            "--Scanner:Type=tcp",
            $"--Scanner:TcpPort={_scannerPort}",
            $"--Delivery:Host={broker.Host}",
            $"--Delivery:Port={broker.Port}",
            $"--Delivery:Password={Password}",
            $"--Status:Port={_statusPort}",
            "--Delivery:BackoffInitial=00:00:00.100",
            "--Delivery:BackoffMax=00:00:00.500",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:SupplyChain.Agent.Station.StationWorkflow=Information",
            .. _configuration,
            .. more,
        ];
        var process = ChildProcess.StartDotnet(ChildProcess.ProjectDll("agent", "coldtrace-agent"), arguments);
        process.OutputDataReceived += (_, e) => _output.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => _output.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>Types scans into the station's scanner port, one line each, as a scanner in TCP mode would.</summary>
    public async Task ScanAsync(IEnumerable<string> scans)
    {
        var stream = (await ScannerAsync()).GetStream();
        var text = new StringBuilder();
        foreach (var scan in scans)
        {
            text.Append(scan).Append('\n');
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()));
        await stream.FlushAsync();
    }

    /// <summary>Waits until the station made exactly <paramref name="events"/> events and the hub acknowledged every one.</summary>
    public async Task WaitForAcksAsync(long events, ScenarioHub hub)
    {
        await ScenarioWait.Eventually(
            $"{DeviceId}: {events} events acknowledged",
            async () => await TryReadStatusAsync() is { PendingCustody: 0 } status && status.NextSeq == events && status.LastAckSeq == events - 1,
            () => $"outbox: {LastStatus}\n{DeviceId} said:\n{Output}\nhub said:\n{hub.Output}",
            AssertRunning);
        Assert.Equal(0, (await TryReadStatusAsync())!.Rejected);
    }

    /// <summary>The station's offline recall list as it reports it (version, packs), or null while it does not answer.</summary>
    public async Task<RecallStatus?> TryReadRecallsAsync()
    {
        var (status, _) = await StatusClient.TryReadAsync(_statusPort, TimeSpan.FromSeconds(5), CancellationToken.None);
        return status?.Recalls;
    }

    /// <summary>Where the station writes its signals when started with <c>--Feedback:SignalFile</c> (one line per signal).</summary>
    public string SignalFile => Path.Combine(DataDirectory, "signals.log");

    /// <summary>The signal lines written so far.</summary>
    public IReadOnlyList<string> Signals() => File.Exists(SignalFile) ? File.ReadAllLines(SignalFile) : [];

    /// <summary>The outbox part of the last status the station answered.</summary>
    public OutboxStatus? LastStatus { get; private set; }

    /// <summary>The outbox as the running station reports it on its loopback status endpoint (what <c>coldtrace-agent
    /// status</c> asks), or null while it does not answer yet.</summary>
    public async Task<OutboxStatus?> TryReadStatusAsync()
    {
        var (status, _) = await StatusClient.TryReadAsync(_statusPort, TimeSpan.FromSeconds(5), CancellationToken.None);
        if (status?.Outbox is { } outbox)
        {
            LastStatus = outbox;
        }

        return status?.Outbox;
    }

    public void AssertRunning() => Assert.False(_process is null || _process.HasExited, $"{DeviceId} exited: {Output}");

    public async ValueTask DisposeAsync()
    {
        _scanner?.Dispose();
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }

        Directory.Delete(DataDirectory, recursive: true);
    }

    private async Task<TcpClient> ScannerAsync()
    {
        if (_scanner is { Connected: true } connected)
        {
            return connected;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", _scannerPort, timeout.Token);
                _scanner = client;
                return client;
            }
            catch (SocketException)
            {
                client.Dispose();
                AssertRunning();
                await Task.Delay(100, timeout.Token);
            }
        }
    }
}
