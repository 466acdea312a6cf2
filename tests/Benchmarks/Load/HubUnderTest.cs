using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Log;

namespace SupplyChain.Benchmarks.Load;

/// <summary>
/// The hub the load goes to: real hub processes this run starts on loopback (each its own data directory; the embedded
/// broker on a free port, or with <c>--mosquitto</c> a Mosquitto this run starts, which <c>--hubs 2</c> instances share
/// through an MQTT 5 shared subscription), or a running one given by <c>--broker</c>. Devices are enrolled through the
/// hub's own enrolment: <see cref="DeviceEnrolment"/> on the data directory (or the PostgreSQL database) before the hubs
/// start (what <c>devices enroll</c> does), or the admin API (<c>POST /v1/devices</c>) of a running hub.
/// </summary>
internal sealed class HubUnderTest : IAsyncDisposable
{
    private const string BrokerLine = "MQTT broker (embedded) listening on mqtt://127.0.0.1:";
    private const string KeyLine = "Log verifier key: ";
    private const string ConnectedLine = "Connected to the external MQTT broker";

    private readonly List<Process> _processes;
    private readonly MosquittoUnderTest? _mosquitto;
    private readonly StringBuilder _errors;

    private HubUnderTest(string host, int port, NoteVerifier verifier, List<Process> processes, IReadOnlyList<int> pids, MosquittoUnderTest? mosquitto, StringBuilder errors)
    {
        _errors = errors;
        BrokerHost = host;
        BrokerPort = port;
        Verifier = verifier;
        _processes = processes;
        _mosquitto = mosquitto;
        Pids = pids;
    }

    public string BrokerHost { get; }

    public int BrokerPort { get; }

    /// <summary>The key that verifies the hub's checkpoints.</summary>
    public NoteVerifier Verifier { get; }

    /// <summary>The hub processes' ids, when known (CPU and memory are read from procfs and summed).</summary>
    public IReadOnlyList<int> Pids { get; }

    /// <summary>Mosquitto's process id when this run started it (its CPU is reported beside the hubs').</summary>
    public int? BrokerPid => _mosquitto?.Pid;

    public bool HasExited => _processes.Exists(p => p.HasExited);

    /// <summary>
    /// Enrols the devices in a stopped hub's <paramref name="dataDirectory"/> (or its PostgreSQL database), starts
    /// Mosquitto when asked, then <paramref name="instances"/> hubs, the later ones with the first one's hub key.
    /// </summary>
    public static Task<HubUnderTest> StartAsync(
        string hubDll, string dataDirectory, IReadOnlyList<LoadDevice> devices, IReadOnlyList<string> settings, int instances, bool mosquitto, CancellationToken cancellationToken) =>
        StartAsync(hubDll, dataDirectory, [.. devices.Select(d => d.Enrolment())], settings, instances, mosquitto, cancellationToken);

    /// <summary>As above, enrolling <paramref name="enrolments"/>.</summary>
    public static async Task<HubUnderTest> StartAsync(
        string hubDll, string dataDirectory, IReadOnlyList<EnrolRequest> enrolments, IReadOnlyList<string> settings, int instances, bool mosquitto, CancellationToken cancellationToken)
    {
        var origin = new LogOptions().Origin;

        // A hub on PostgreSQL (--hub-setting Storage:Backend=Postgres --hub-setting Storage:ConnectionString=…) has its
        // devices in the database: enrol them there.
        var postgres = settings.Contains("Storage:Backend=Postgres", StringComparer.OrdinalIgnoreCase)
            ? settings.FirstOrDefault(s => s.StartsWith("Storage:ConnectionString=", StringComparison.Ordinal))?["Storage:ConnectionString=".Length..]
            : null;
        await using (var offline = await OfflineDevices.OpenAsync(dataDirectory, origin, postgres, TimeProvider.System, cancellationToken))
        {
            foreach (var enrolment in enrolments)
            {
                var outcome = await offline.Enrolment.EnrollAsync(enrolment, cancellationToken);
                if (!outcome.IsSuccess)
                {
                    throw new InvalidOperationException($"Enrolling {enrolment.Id} failed: {outcome.Error}");
                }
            }
        }

        var broker = mosquitto
            ? await MosquittoUnderTest.StartAsync(Path.Combine(Path.GetDirectoryName(dataDirectory)!, "mosquitto"), enrolments, postgres, dataDirectory, cancellationToken)
            : null;
        var processes = new List<Process>();
        var errors = new StringBuilder();
        try
        {
            var (port, key) = (0, string.Empty);
            for (var i = 0; i < instances; i++)
            {
                var directory = i == 0 ? dataDirectory : $"{dataDirectory}-{i}";
                if (i > 0)
                {
                    // Every instance signs with the one log key (docs/OPERATIONS.md "Several hub instances").
                    Directory.CreateDirectory(directory);
                    File.Copy(Path.Combine(dataDirectory, HubSigningKey.FileName), Path.Combine(directory, HubSigningKey.FileName), overwrite: true);
                }

                string[] brokerSettings = broker is null
                    ? ["--Broker:Port=0"]
                    :
                    [
                        "--Broker:Mode=External",
                        "--Broker:External:Host=127.0.0.1",
                        $"--Broker:External:Port={broker.Port}",
                        $"--Broker:External:Password={MosquittoUnderTest.HubPassword}",
                        $"--Broker:External:ClientId=bench-hub-{i}",
                        "--Logging:LogLevel:SupplyChain.Hub.Broker.ExternalBroker=Information",
                        .. instances > 1 ? (string[])["--Broker:External:SharedGroup=bench-hubs"] : [],
                    ];
                var (process, started) = await StartOneAsync(hubDll, directory, [.. brokerSettings, .. settings.Select(s => "--" + s)], broker is null, errors, cancellationToken);
                processes.Add(process);
                (port, key) = i == 0 ? started : (port, key);
            }

            if (!NoteVerifier.TryParse(key, out var verifier, out var reason))
            {
                throw new InvalidOperationException($"The hub printed a verifier key that does not parse: {reason}");
            }

            return new HubUnderTest("127.0.0.1", broker?.Port ?? port, verifier!, processes, [.. processes.Select(p => p.Id)], broker, errors);
        }
        catch
        {
            foreach (var process in processes)
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
            }

            if (broker is not null)
            {
                await broker.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>One hub process; returns it with the embedded broker's port (0 for an external broker) and its key.</summary>
    private static async Task<(Process Process, (int Port, string Key) Started)> StartOneAsync(
        string hubDll, string dataDirectory, string[] settings, bool embedded, StringBuilder errors, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[hubDll, "--urls=http://127.0.0.1:0", $"--Hub:DataDirectory={dataDirectory}", "--Logging:LogLevel:Default=Warning", .. settings])
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var key = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!embedded)
        {
            port.TrySetResult(0);
        }

        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (embedded)
        {
            connected.TrySetResult();
        }

        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith(BrokerLine, StringComparison.Ordinal) == true)
            {
                port.TrySetResult(int.Parse(e.Data[BrokerLine.Length..], CultureInfo.InvariantCulture));
            }
            else if (e.Data?.StartsWith(KeyLine, StringComparison.Ordinal) == true)
            {
                key.TrySetResult(e.Data[KeyLine.Length..]);
            }
            else if (e.Data?.Contains(ConnectedLine, StringComparison.Ordinal) == true)
            {
                connected.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var started = Task.WhenAll(port.Task, key.Task, connected.Task);
        await Task.WhenAny(started, process.WaitForExitAsync(cancellationToken), Task.Delay(TimeSpan.FromSeconds(90), cancellationToken));
        if (!started.IsCompletedSuccessfully)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            process.Dispose();
            lock (errors)
            {
                throw new InvalidOperationException($"The hub did not start within 90 s. stderr:\n{errors}");
            }
        }

        return (process, (await port.Task, await key.Task));
    }

    /// <summary>A running hub: devices are enrolled through its admin API.</summary>
    public static async Task<HubUnderTest> ConnectAsync(LoadSettings settings, IReadOnlyList<LoadDevice> devices, CancellationToken cancellationToken)
    {
        if (!NoteVerifier.TryParse(settings.VerifierKey, out var verifier, out var reason))
        {
            throw new ArgumentException($"--verifier-key: {reason}");
        }

        using var http = new HttpClient { BaseAddress = settings.Api };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        foreach (var device in devices)
        {
            var request = device.Enrolment();
            using var response = await http.PostAsJsonAsync(
                "/v1/devices",
                new { id = request.Id, publicKey = request.PublicKeyBase64, site = request.Site, role = request.Role, password = request.Password },
                cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Enrolling {device.Id} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        var broker = settings.Broker!;
        var colon = broker.LastIndexOf(':');
        return new HubUnderTest(
            broker[..colon], int.Parse(broker[(colon + 1)..], CultureInfo.InvariantCulture), verifier!, [], settings.HubPid is { } pid ? [pid] : [], null, new StringBuilder());
    }

    /// <summary>What the hub this run started wrote to stderr so far.</summary>
    public string Errors()
    {
        lock (_errors)
        {
            return _errors.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(CancellationToken.None);
            process.Dispose();
        }

        if (_mosquitto is not null)
        {
            await _mosquitto.DisposeAsync();
        }
    }
}
