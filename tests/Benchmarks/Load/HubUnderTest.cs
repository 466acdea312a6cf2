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
/// The hub the load goes to: a real hub process this run starts on loopback (its own data directory, the embedded
/// broker on a free port), or a running one given by <c>--broker</c>. Devices are enrolled through the hub's own
/// enrolment: <see cref="DeviceEnrolment"/> on the data directory before the hub starts (what <c>devices enroll</c>
/// does), or the admin API (<c>POST /v1/devices</c>) of a running hub.
/// </summary>
internal sealed class HubUnderTest : IAsyncDisposable
{
    private readonly Process? _process;
    private readonly StringBuilder _errors;

    private HubUnderTest(string host, int port, NoteVerifier verifier, Process? process, int? pid, StringBuilder errors)
    {
        _errors = errors;
        BrokerHost = host;
        BrokerPort = port;
        Verifier = verifier;
        _process = process;
        Pid = pid;
    }

    public string BrokerHost { get; }

    public int BrokerPort { get; }

    /// <summary>The key that verifies the hub's checkpoints.</summary>
    public NoteVerifier Verifier { get; }

    /// <summary>The hub's process id, when known (CPU and memory are read from procfs).</summary>
    public int? Pid { get; }

    public bool HasExited => _process is { HasExited: true };

    /// <summary>Enrols the devices in a stopped hub's <paramref name="dataDirectory"/>, then starts the hub on it.</summary>
    public static Task<HubUnderTest> StartAsync(string hubDll, string dataDirectory, IReadOnlyList<LoadDevice> devices, IReadOnlyList<string> settings, CancellationToken cancellationToken) =>
        StartAsync(hubDll, dataDirectory, [.. devices.Select(d => d.Enrolment())], settings, cancellationToken);

    /// <summary>Enrols <paramref name="enrolments"/> in a stopped hub's <paramref name="dataDirectory"/>, then starts the hub on it.</summary>
    public static async Task<HubUnderTest> StartAsync(string hubDll, string dataDirectory, IReadOnlyList<EnrolRequest> enrolments, IReadOnlyList<string> settings, CancellationToken cancellationToken)
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

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[hubDll, "--urls=http://127.0.0.1:0", $"--Hub:DataDirectory={dataDirectory}", "--Broker:Port=0", "--Logging:LogLevel:Default=Warning", .. settings.Select(s => "--" + s)])
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var errors = new StringBuilder();
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var key = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            const string brokerLine = "MQTT broker (embedded) listening on mqtt://127.0.0.1:";
            const string keyLine = "Log verifier key: ";
            if (e.Data?.StartsWith(brokerLine, StringComparison.Ordinal) == true)
            {
                port.TrySetResult(int.Parse(e.Data[brokerLine.Length..], CultureInfo.InvariantCulture));
            }
            else if (e.Data?.StartsWith(keyLine, StringComparison.Ordinal) == true)
            {
                key.TrySetResult(e.Data[keyLine.Length..]);
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

        var started = Task.WhenAll(port.Task, key.Task);
        await Task.WhenAny(started, process.WaitForExitAsync(cancellationToken), Task.Delay(TimeSpan.FromSeconds(60), cancellationToken));
        if (!started.IsCompletedSuccessfully)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            process.Dispose();
            lock (errors)
            {
                throw new InvalidOperationException($"The hub did not start within 60 s. stderr:\n{errors}");
            }
        }

        if (!NoteVerifier.TryParse(await key.Task, out var verifier, out var reason))
        {
            throw new InvalidOperationException($"The hub printed a verifier key that does not parse: {reason}");
        }

        return new HubUnderTest("127.0.0.1", await port.Task, verifier!, process, process.Id, errors);
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
        return new HubUnderTest(broker[..colon], int.Parse(broker[(colon + 1)..], CultureInfo.InvariantCulture), verifier!, null, settings.HubPid, new StringBuilder());
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
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(CancellationToken.None);
            process.Dispose();
        }
    }
}
