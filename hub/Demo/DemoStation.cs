using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SupplyChain.Agent;
using SupplyChain.Agent.Identity;
using SupplyChain.Agent.Outbox;
using SupplyChain.Agent.Recalls;

namespace SupplyChain.Hub.Demo;

/// <summary>Where the stations deliver to: the hub's embedded broker and the key its recall lists are signed with.</summary>
internal sealed record DemoHubLink(int BrokerPort, string VerifierKey);

/// <summary>
/// One simulated station: the real agent (<see cref="AgentServices.AddAgent"/>) as its own host inside the demo's
/// process, with its own key, outbox and data directory. Scans are typed into its TCP scanner port, the real scan path;
/// its signals are read back from its signal file (<c>Feedback:SignalFile</c>), its acknowledgements from its outbox.
/// </summary>
internal sealed class DemoStation : IAsyncDisposable
{
    public const string PasswordFileName = "broker-password";
    public const string SignalFileName = "signals.log";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly DemoStationLogger _logger;
    private IHost? _host;
    private TcpClient? _scanner;
    private int _scannerPort;
    private long _signalOffset;

    private DemoStation(DemoStationPlan plan, string directory, string publicKey, TextWriter console)
    {
        Plan = plan;
        Directory = directory;
        PublicKeyBase64 = publicKey;
        _logger = new DemoStationLogger(plan.DeviceId, console);
    }

    public DemoStationPlan Plan { get; }

    public string Directory { get; }

    public string PublicKeyBase64 { get; }

    public string PasswordFile => Path.Combine(Directory, PasswordFileName);

    public string SignalFile => Path.Combine(Directory, SignalFileName);

    /// <summary>The station's directory under <paramref name="stationsDirectory"/> and its key, made there on first use as on a Pi.</summary>
    public static DemoStation Prepare(DemoStationPlan plan, string stationsDirectory, TextWriter console)
    {
        var directory = Path.Combine(stationsDirectory, plan.DeviceId);
        System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var identity = DeviceIdentity.LoadOrCreate(directory, plan.DeviceId);
        return new DemoStation(plan, directory, identity.PublicKeyBase64, console);
    }

    /// <summary>Builds and starts the station's host; it connects to the broker on its own, with its usual backoff.</summary>
    public async Task StartAsync(DemoHubLink hub, CancellationToken cancellationToken)
    {
        _scannerPort = Plan.Scans ? FreeLoopbackPort() : 0;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // No appsettings, environment or command line: the station is exactly what Configuration says.
            DisableDefaults = true,
            ApplicationName = "coldtrace-agent",
            ContentRootPath = Directory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(Configuration(hub));
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddProvider(_logger);
        builder.AddAgent();
        // The demo stops its stations itself, after its story: no station may react to Ctrl+C on its own.
        builder.Services.AddSingleton<IHostLifetime, DemoLifetime>();
        var host = builder.Build();
        _signalOffset = File.Exists(SignalFile) ? new FileInfo(SignalFile).Length : 0;
        await host.StartAsync(cancellationToken);
        _host = host;
    }

    /// <summary>
    /// Types <paramref name="scans"/> into the scanner port, one line each, and returns the signal the station showed for
    /// each (one line of its signal file per scan: <c>green</c>, <c>blink</c>, <c>beep …</c> or <c>red …</c>).
    /// </summary>
    public async Task<IReadOnlyList<string>> ScanAsync(IReadOnlyList<string> scans, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var scan in scans)
        {
            text.Append(scan).Append('\n');
        }

        var stream = (await ScannerAsync(cancellationToken)).GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()), cancellationToken);
        await stream.FlushAsync(cancellationToken);

        var signals = new List<string>(scans.Count);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        try
        {
            while (signals.Count < scans.Count)
            {
                signals.AddRange(ReadNewSignals());
                if (signals.Count < scans.Count)
                {
                    await Task.Delay(50, timeout.Token);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Plan.DeviceId} showed {signals.Count} of {scans.Count} signals within {Patience.TotalSeconds} s");
        }

        // A signal line is "{time} {signal} …"; the caller wants the signal and its reason.
        return [.. signals.Select(line => line.Split(' ', 2) is [_, var rest] ? rest : line)];
    }

    /// <summary>Waits until the hub acknowledged every custody event the station recorded.</summary>
    public async Task WaitForAcksAsync(CancellationToken cancellationToken)
    {
        var outbox = Services.GetRequiredService<EventOutbox>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        try
        {
            while (outbox.ReadStatus().PendingCustody > 0)
            {
                await Task.Delay(50, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Plan.DeviceId}: the hub did not acknowledge its events within {Patience.TotalSeconds} s");
        }
    }

    /// <summary>The station's offline recall list (PROTOCOL.md §5.6) as it holds it now.</summary>
    public RecallStatus Recalls => Services.GetRequiredService<RecallStore>().Status();

    public async ValueTask DisposeAsync()
    {
        _logger.Silence();
        _scanner?.Dispose();
        if (_host is { } host)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(timeout.Token);
            host.Dispose();
        }
    }

    private IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException($"{Plan.DeviceId} is not started");

    /// <summary>The station's settings: the keys of firmware-config/stations/*.json, filled in for this machine.</summary>
    private Dictionary<string, string?> Configuration(DemoHubLink hub)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Station:Role"] = Plan.StationRole,
            ["Station:SiteGln"] = Plan.Site.Gln,
            ["Station:DeviceId"] = Plan.DeviceId,
            ["Station:DataDirectory"] = Directory,
            ["Station:AssetGiai"] = Plan.AssetGiai,
            ["Station:ContainerSscc"] = Plan.ContainerSscc,
            ["Scanner:Type"] = Plan.Scans ? "tcp" : "none",
            ["Scanner:TcpPort"] = Plan.Scans ? _scannerPort.ToString(CultureInfo.InvariantCulture) : null,
            ["Feedback:SignalFile"] = Plan.Scans ? SignalFile : null,
            ["Delivery:Host"] = IPAddress.Loopback.ToString(),
            ["Delivery:Port"] = hub.BrokerPort.ToString(CultureInfo.InvariantCulture),
            ["Delivery:PasswordFile"] = PasswordFile,
            ["Delivery:HubKey"] = hub.VerifierKey,
            ["Delivery:BackoffInitial"] = "00:00:00.500",
            ["Delivery:BackoffMax"] = "00:00:05",
            // The demo reads the station's status in-process; no loopback status port.
            ["Status:Port"] = "0",
        };
        if (Plan.Sensor is { } sensor)
        {
            settings["Sensors:Devices:0:Type"] = "simulated";
            settings["Sensors:Devices:0:Id"] = Plan.DeviceId + "-probe";
            settings["Sensors:Devices:0:BaseCelsius"] = sensor.BaseCelsius.ToString(CultureInfo.InvariantCulture);
            settings["Sensors:Sampling:SampleInterval"] = sensor.SampleInterval.ToString("c", CultureInfo.InvariantCulture);
            settings["Sensors:Sampling:ReportWindow"] = sensor.ReportWindow.ToString("c", CultureInfo.InvariantCulture);
            for (var i = 0; i < sensor.Excursions.Count; i++)
            {
                var excursion = sensor.Excursions[i];
                settings[$"Sensors:Devices:0:Excursions:{i}:StartAfter"] = excursion.StartAfter.ToString("c", CultureInfo.InvariantCulture);
                settings[$"Sensors:Devices:0:Excursions:{i}:Duration"] = excursion.Duration.ToString("c", CultureInfo.InvariantCulture);
                settings[$"Sensors:Devices:0:Excursions:{i}:PeakCelsius"] = excursion.PeakCelsius.ToString(CultureInfo.InvariantCulture);
            }
        }

        return settings;
    }

    private string[] ReadNewSignals()
    {
        if (!File.Exists(SignalFile))
        {
            return [];
        }

        using var file = new FileStream(SignalFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (file.Length <= _signalOffset)
        {
            return [];
        }

        file.Position = _signalOffset;
        var bytes = new byte[file.Length - _signalOffset];
        file.ReadExactly(bytes);
        // Only whole lines: the station writes each line with one write, but we may read between two.
        var end = Array.LastIndexOf(bytes, (byte)'\n');
        if (end < 0)
        {
            return [];
        }

        _signalOffset += end + 1;
        return Encoding.UTF8.GetString(bytes, 0, end).Split('\n');
    }

    private async Task<TcpClient> ScannerAsync(CancellationToken cancellationToken)
    {
        if (_scanner is { Connected: true } connected)
        {
            return connected;
        }

        _scanner?.Dispose();
        _scanner = null;
        // The station opens its scanner port while its host starts; give it a few seconds, as a scanner would.
        for (var attempt = 1; ; attempt++)
        {
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, _scannerPort, cancellationToken);
                _scanner = client;
                return client;
            }
            catch (SocketException) when (attempt < 50)
            {
                client.Dispose();
                await Task.Delay(100, cancellationToken);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>A host lifetime that does nothing: the demo, not a signal, starts and stops its stations.</summary>
    private sealed class DemoLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
