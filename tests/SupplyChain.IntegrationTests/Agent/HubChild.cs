using System.Collections.Concurrent;
using System.Diagnostics;
using SupplyChain.Hub.Audit;
using SupplyChain.Hub.Log;
using SupplyChain.IntegrationTests.Scenario;

namespace SupplyChain.IntegrationTests.Agent;

/// <summary>
/// The real hub as a child process (<c>dotnet coldtrace-hub.dll</c>, embedded broker, LiteDB) on a fixed data directory
/// and fixed ports, so it can be SIGKILLed (a power cut: no shutdown code runs) and started again where it was. Its
/// files are read only while it is dead.
/// </summary>
internal sealed class HubChild : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string[] _settings;
    private Process? _process;

    public HubChild(params string[] settings)
        : this(Directory.CreateTempSubdirectory("coldtrace-hubchild-"), settings)
    {
    }

    /// <summary>A hub on <paramref name="dataDirectory"/> (e.g. on a small tmpfs that fills), deleted on dispose.</summary>
    public HubChild(DirectoryInfo dataDirectory, params string[] settings)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        _settings = settings;
        dataDirectory.Create();
        DataDirectory = dataDirectory.FullName;
        BrokerPort = ScenarioBroker.FreePort();
        HttpPort = ScenarioBroker.FreePort();
    }

    public string DataDirectory { get; }

    public int BrokerPort { get; }

    public int HttpPort { get; }

    public string Output => string.Join('\n', _output.TakeLast(100));

    /// <summary><c>coldtrace-hub devices enroll</c> on the stopped hub's data directory; the MQTT password is <see cref="AgentProcess.Password"/>.</summary>
    public async Task EnrollAsync(string deviceId, string publicKeyBase64, string role)
    {
        Assert.Null(_process);
        var (exit, output) = await RunToolAsync(
            "devices", "enroll", "--data", DataDirectory, "--id", deviceId, "--key", publicKeyBase64,
            "--site", AgentProcess.Site, "--role", role, "--password", AgentProcess.Password);
        Assert.True(exit == 0, $"devices enroll {deviceId}: exit {exit}\n{output}");
    }

    /// <summary>Starts the hub and waits until it prints its broker line (Kestrel and the broker are listening).</summary>
    public async Task StartAsync()
    {
        Assert.Null(_process);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = ChildProcess.StartDotnet(
            ChildProcess.ProjectDll("hub", "coldtrace-hub"),
            [
                $"--urls=http://127.0.0.1:{HttpPort}",
                $"--Hub:DataDirectory={DataDirectory}",
                $"--Broker:Port={BrokerPort}",
                "--Logging:LogLevel:Default=Warning",
                .. _settings,
            ]);
        process.OutputDataReceived += (_, e) =>
        {
            _output.Enqueue(e.Data ?? string.Empty);
            if (e.Data?.StartsWith("MQTT broker", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => _output.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(90)));
        Assert.True(ready.Task.IsCompleted, $"the hub did not start (exited: {process.HasExited}):\n{Output}");
    }

    /// <summary>SIGKILL.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("not running");
        _process = null;
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    /// <summary>Opens the dead hub's log store (read it, then dispose it before the next start).</summary>
    public LiteDbLogStore OpenLog()
    {
        Assert.Null(_process);
        return new LiteDbLogStore(Path.Combine(DataDirectory, "log.db"));
    }

    /// <summary>The in-library audit of the dead hub's log (every hash recomputed, every checkpoint's signature and consistency).</summary>
    public AuditReport Audit(LiteDbLogStore store)
    {
        var key = HubSigningKey.LoadOrCreate(DataDirectory, new LogOptions().Origin);
        return new LogAudit(store, key.Verifier, new LogOptions().Origin).Run();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await KillAsync();
        }

        Directory.Delete(DataDirectory, recursive: true);
    }

    private static async Task<(int Exit, string Output)> RunToolAsync(params string[] arguments)
    {
        using var process = ChildProcess.StartDotnet(ChildProcess.ProjectDll("hub", "coldtrace-hub"), arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await stdout + await stderr;
        return (process.ExitCode, text);
    }
}
