using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using SupplyChain.Agent.Identity;
using SupplyChain.Agent.Outbox;
using SupplyChain.Hub.Devices;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.IntegrationTests.Agent;

/// <summary>
/// The real agent as a child process (<c>dotnet coldtrace-agent.dll</c>) on its own data directory, enrolled at a hub,
/// taking scans over the TCP loopback scanner and writing its signals to <see cref="SignalFile"/>. It can be killed
/// (SIGKILL) and started again on the same directory, as a power cut and a reboot would.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    public const string Password = "integration-pa55word";
    public const string Site = "9506000134383";

    private readonly string[] _settings;
    private readonly ConcurrentQueue<(long Timestamp, string Line)> _output = new();
    private Process? _process;
    private TcpClient? _scanner;
    private string? _publicKey;

    private AgentProcess(string deviceId, string role, string[] settings, string? dataDirectory = null)
    {
        DeviceId = deviceId;
        Role = role;
        _settings = settings;
        Directory = System.IO.Directory.CreateTempSubdirectory("coldtrace-agent-").FullName;
        DataDirectory = dataDirectory ?? Directory;
    }

    public string DeviceId { get; }

    public string Role { get; }

    public string Directory { get; }

    /// <summary><c>Station:DataDirectory</c>: <see cref="Directory"/> unless the agent was enrolled on another one (a small
    /// tmpfs that fills, with the signal file kept off it).</summary>
    public string DataDirectory { get; }

    public string SignalFile => Path.Combine(Directory, "signals.log");

    public string OutboxPath => Path.Combine(DataDirectory, EventOutbox.FileName);

    public int BrokerPort { get; set; }

    /// <summary>The broker's address as the agent reaches it; loopback unless the agent runs in another network namespace.</summary>
    public string BrokerHost { get; set; } = "127.0.0.1";

    /// <summary>Words the agent is started through (e.g. <c>ip netns exec NAME</c>); none by default.</summary>
    public IReadOnlyList<string> CommandPrefix { get; set; } = [];

    /// <summary>
    /// Scans go to the agent's standard input (<c>Scanner:Type=stdin</c>) instead of its loopback TCP scanner port: for an
    /// agent in another network namespace, whose loopback this process cannot reach.
    /// </summary>
    public bool ScansOnStdin { get; set; }

    /// <summary>Every line the agent wrote so far with the <see cref="Stopwatch.GetTimestamp"/> at which it was read.</summary>
    public IReadOnlyList<(long Timestamp, string Line)> OutputLines => [.. _output];

    /// <summary>Environment variables the next start adds (e.g. libfaketime's, see <see cref="FakeTime"/>).</summary>
    public Dictionary<string, string> ExtraEnvironment { get; } = [];

    /// <summary>What the agent wrote to stdout and stderr, for failure messages.</summary>
    public string Output => string.Join('\n', _output.Select(o => o.Line).Where(line => line.Length > 0).TakeLast(200));

    /// <summary>Creates the device key in a new data directory and enrols it at <paramref name="hub"/> as <paramref name="hubRole"/>.</summary>
    public static Task<AgentProcess> EnrolAsync(HubProcess hub, string deviceId, string role, string hubRole, params string[] settings) =>
        EnrolOnAsync(hub, null, deviceId, role, hubRole, settings);

    /// <summary>As <see cref="EnrolAsync"/>, with the data directory (outbox, key) at <paramref name="dataDirectory"/>.</summary>
    public static async Task<AgentProcess> EnrolOnAsync(HubProcess hub, string? dataDirectory, string deviceId, string role, string hubRole, params string[] settings)
    {
        var agent = new AgentProcess(deviceId, role, settings, dataDirectory) { BrokerPort = hub.BrokerPort };
        using var identity = DeviceIdentity.LoadOrCreate(agent.DataDirectory, deviceId);
        var enrolled = await hub.Service<DeviceEnrolment>().EnrollAsync(
            new EnrolRequest(deviceId, identity.PublicKeyBase64, Site, hubRole, Password, "integration-test"), CancellationToken.None);
        Assert.True(enrolled.IsSuccess, enrolled.Error);
        return agent;
    }

    /// <summary>A new data directory with the device key, for a hub that enrols it itself (<see cref="Enrolment"/>).</summary>
    public static AgentProcess Create(string deviceId, string role, params string[] settings)
    {
        var agent = new AgentProcess(deviceId, role, settings);
        using var identity = DeviceIdentity.LoadOrCreate(agent.Directory, deviceId);
        agent._publicKey = identity.PublicKeyBase64;
        return agent;
    }

    /// <summary>What <c>devices enroll</c> is given for this agent as <paramref name="hubRole"/> (after <see cref="Create"/>).</summary>
    public EnrolRequest Enrolment(string hubRole) =>
        new(DeviceId, _publicKey ?? throw new InvalidOperationException("made by EnrolAsync"), Site, hubRole, Password, "integration-test");

    /// <summary>Starts the agent and connects to its scanner (a new loopback port each start); <paramref name="settings"/>
    /// apply to this start only, after the others.</summary>
    public async Task StartAsync(params string[] settings)
    {
        Assert.Null(_process);
        var scannerPort = ScansOnStdin ? 0 : FreePort();
        string[] scanner = ScansOnStdin ? ["--Scanner:Type=stdin"] : ["--Scanner:Type=tcp", $"--Scanner:TcpPort={scannerPort}"];
        var process = ChildProcess.StartDotnet(
            CommandPrefix,
            ScansOnStdin,
            ChildProcess.ProjectDll("agent", "coldtrace-agent"),
            [
                $"--Station:Role={Role}",
                $"--Station:SiteGln={Site}",
                $"--Station:DeviceId={DeviceId}",
                $"--Station:DataDirectory={DataDirectory}",
                .. scanner,
                $"--Feedback:SignalFile={SignalFile}",
                "--Status:Port=0",
                $"--Delivery:Host={BrokerHost}",
                $"--Delivery:Port={BrokerPort}",
                $"--Delivery:Password={Password}",
                "--Delivery:BackoffInitial=00:00:00.100",
                "--Delivery:BackoffMax=00:00:00.500",
                "--Delivery:AckTimeout=00:00:05",
                "--Logging:LogLevel:Default=Warning",
                .. _settings,
                .. settings,
            ],
            ExtraEnvironment);
        process.OutputDataReceived += (_, e) => _output.Enqueue((Stopwatch.GetTimestamp(), e.Data ?? string.Empty));
        process.ErrorDataReceived += (_, e) => _output.Enqueue((Stopwatch.GetTimestamp(), e.Data ?? string.Empty));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        if (!ScansOnStdin)
        {
            _scanner = await ConnectAsync(scannerPort);
        }
    }

    /// <summary>Sends one scan line; false when the agent is gone (killed while the test was writing).</summary>
    public async Task<bool> ScanAsync(string scan)
    {
        try
        {
            var stream = ScansOnStdin ? _process!.StandardInput.BaseStream : _scanner!.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(scan + "\n"));
            await stream.FlushAsync();
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing buffered in the process survives.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("not running");
        _process = null;
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
        process.Dispose();
        _scanner?.Dispose();
        _scanner = null;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails if the agent exits or <paramref name="limit"/> passes.</summary>
    public async Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? limit = null, Func<string>? state = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(_process is { HasExited: true }, "agent exited: " + Output);
            Assert.True(watch.Elapsed < (limit ?? TimeSpan.FromSeconds(45)), $"{what}: not in time ({state?.Invoke()}); agent said: {Output}");
            await Task.Delay(50);
        }
    }

    // A read-only open can catch the agent's LiteDB log file mid-write ("ReadFull must read PAGE_SIZE bytes"); that
    // read is retried, it says nothing about delivery.
    public OutboxStatus? TryReadStatus()
    {
        try
        {
            return EventOutbox.ReadStatus(OutboxPath);
        }
        catch (LiteDB.LiteException)
        {
            return null;
        }
    }

    /// <summary>Every line of the signal file so far (docs/OPERATIONS.md "Feedback").</summary>
    public List<SignalLine> ReadSignals()
    {
        if (!File.Exists(SignalFile))
        {
            return [];
        }

        using var stream = new FileStream(SignalFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();

        // A line is written with one write(2); a kill cannot leave half of one, so every line ends with '\n'.
        Assert.True(text.Length == 0 || text[^1] == '\n', "signal file ends in a partial line");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(SignalLine.Parse)];
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await KillAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
        if (DataDirectory != Directory && System.IO.Directory.Exists(DataDirectory))
        {
            System.IO.Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private async Task<TcpClient> ConnectAsync(int port)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port);
                return client;
            }
            catch (SocketException)
            {
                client.Dispose();
                Assert.False(_process is { HasExited: true }, "agent exited: " + Output);
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "agent scanner port never opened: " + Output);
                await Task.Delay(20);
            }
        }
    }

    private static int FreePort() => Scenario.ScenarioBroker.FreePort();
}

/// <summary>One signal file line: <c>{time} green {seq} {event id}</c>, <c>{time} blink</c>, <c>{time} red {reason}</c>, ….</summary>
internal sealed record SignalLine(DateTimeOffset Time, string Signal, long? Seq, EventId? EventId, string Text)
{
    public bool IsGreenEvent => Signal == "green" && Seq is not null;

    public static SignalLine Parse(string line)
    {
        var parts = line.Split(' ', 3);
        Assert.True(parts.Length >= 2, $"signal line '{line}'");
        Assert.True(DateTimeOffset.TryParseExact(parts[0], "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time), line);
        if (parts[1] == "green" && parts.Length == 3)
        {
            var fields = parts[2].Split(' ');
            Assert.Equal(2, fields.Length);
            Assert.True(SupplyChain.Contracts.Signing.EventId.TryParse(fields[1], out var id, out _), line);
            return new SignalLine(time, "green", long.Parse(fields[0], CultureInfo.InvariantCulture), id, line);
        }

        return new SignalLine(time, parts[1], null, null, line);
    }
}
