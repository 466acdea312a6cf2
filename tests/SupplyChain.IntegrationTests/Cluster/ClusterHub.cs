using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using SupplyChain.Hub.Log;
using SupplyChain.IntegrationTests.Scenario;

namespace SupplyChain.IntegrationTests.Cluster;

/// <summary>
/// One of several real hub processes (<c>coldtrace-hub</c>) on one PostgreSQL database, consuming from Mosquitto through
/// the MQTT 5 shared subscription <see cref="Group"/> (docs/OPERATIONS.md "Several hub instances"). Each has its own data
/// directory, HTTP port and broker client id; the hub key is copied in from the first instance, as an operator does.
/// Its output lines are kept with the monotonic time they arrived, so the test can time a takeover.
/// </summary>
internal sealed class ClusterHub : IAsyncDisposable
{
    public const string Group = "coldtrace-hubs";
    public const string HubPassword = "cluster-hub-pa55word";
    public const string TakeoverLine = "now integrates the log";

    private readonly ConcurrentQueue<(long Timestamp, string Line)> _output = new();
    private int _taken;
    private int _held;
    private readonly string[] _settings;
    private Process? _process;

    public ClusterHub(string name, string postgres, int brokerPort, params string[] settings)
    {
        Name = name;
        Postgres = postgres;
        BrokerPort = brokerPort;
        _settings = settings;
        DataDirectory = Directory.CreateTempSubdirectory($"coldtrace-cluster-{name}-").FullName;
        HttpPort = ScenarioBroker.FreePort();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Name { get; }

    public string Postgres { get; }

    public int BrokerPort { get; }

    public string DataDirectory { get; }

    public int HttpPort { get; }

    public HttpClient Http { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Device events messages the broker gave this instance (its debug line per message), over all its runs.</summary>
    public int MessagesTaken => Volatile.Read(ref _taken);

    /// <summary>Events this instance held back for a gap: the missing ones had gone to the other instance or were late.</summary>
    public int EventsHeld => Volatile.Read(ref _held);

    public string Output => string.Join('\n', _output.Select(o => o.Line).TakeLast(150));

    /// <summary>When this instance last said it won the integrator's lock (monotonic timestamp), or null.</summary>
    public long? WonAt => _output.Where(o => o.Line.Contains(TakeoverLine, StringComparison.Ordinal)).Select(o => (long?)o.Timestamp).LastOrDefault();

    /// <summary>Copies the hub key of <paramref name="first"/>: every instance signs with the one log key.</summary>
    public void ShareKeyOf(ClusterHub first)
    {
        var target = Path.Combine(DataDirectory, HubSigningKey.FileName);
        File.Copy(Path.Combine(first.DataDirectory, HubSigningKey.FileName), target, overwrite: true);
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Starts the hub and waits until it printed its banner and is connected and subscribed to the broker.</summary>
    public async Task StartAsync()
    {
        Assert.Null(_process);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (banner, connected) = (false, false);
        var process = ChildProcess.StartDotnet(
            ChildProcess.ProjectDll("hub", "coldtrace-hub"),
            [
                $"--urls=http://127.0.0.1:{HttpPort}",
                $"--Hub:DataDirectory={DataDirectory}",
                "--Storage:Backend=Postgres",
                $"--Storage:ConnectionString={Postgres}",
                "--Broker:Mode=External",
                "--Broker:External:Host=127.0.0.1",
                $"--Broker:External:Port={BrokerPort}",
                $"--Broker:External:Password={HubPassword}",
                $"--Broker:External:ClientId=hub-{Name}",
                $"--Broker:External:SharedGroup={Group}",
                "--Broker:External:SessionExpiry=00:00:02",
                "--Broker:External:BackoffInitial=00:00:00.100",
                "--Broker:External:BackoffMax=00:00:01",
                "--Log:CheckpointPeriod=00:00:00.250",
                "--Logging:LogLevel:Default=Warning",
                "--Logging:LogLevel:SupplyChain.Hub.Log.IntegratorLease=Information",
                "--Logging:LogLevel:SupplyChain.Hub.Broker.ExternalBroker=Debug",
                "--Logging:LogLevel:SupplyChain.Hub.Ingest.IngestPipeline=Information",
                .. _settings,
            ]);
        void Take(string? data)
        {
            if (data?.Contains("Took an events message", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref _taken);
                return;
            }

            if (data?.Contains("held back, chain head is", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref _held);
                return;
            }

            if (data?.StartsWith("dbug: ", StringComparison.Ordinal) == true || data?.StartsWith("info: SupplyChain.Hub.Ingest", StringComparison.Ordinal) == true)
            {
                return;
            }

            _output.Enqueue((Stopwatch.GetTimestamp(), data ?? string.Empty));
            lock (_output)
            {
                banner |= data?.StartsWith("Log verifier key: ", StringComparison.Ordinal) == true;
                connected |= data?.Contains("Connected to the external MQTT broker", StringComparison.Ordinal) == true;
                if (banner && connected)
                {
                    ready.TrySetResult();
                }
            }
        }

        process.OutputDataReceived += (_, e) => Take(e.Data);
        process.ErrorDataReceived += (_, e) => Take(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(120)));
        Assert.True(ready.Task.IsCompleted, $"hub {Name} did not start (exited: {process.HasExited}):\n{Output}");
    }

    /// <summary>SIGKILL (no shutdown code runs); returns the monotonic time of the kill.</summary>
    public async Task<long> KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("not running");
        _process = null;
        var at = Stopwatch.GetTimestamp();
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
        process.Dispose();
        return at;
    }

    /// <summary><c>GET /v1/log/checkpoint</c>: the signed note, or null when the hub has none yet or does not answer.</summary>
    public async Task<string?> CheckpointAsync()
    {
        try
        {
            using var response = await Http.GetAsync("/v1/log/checkpoint");
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary><c>GET /v1/packs/{gtin}/{serial}/verification</c>.</summary>
    public async Task<VerificationJson> VerifyAsync(string gtin, string serial) =>
        await Http.GetFromJsonAsync<VerificationJson>($"/v1/packs/{gtin}/{Uri.EscapeDataString(serial)}/verification", new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))
        ?? throw new InvalidOperationException("empty verification answer");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_process is not null)
        {
            await KillAsync();
        }

        Directory.Delete(DataDirectory, recursive: true);
    }
}
