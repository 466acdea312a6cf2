using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace SupplyChain.Benchmarks.Scale;

/// <summary>
/// A real hub process on a seeded data directory (loopback HTTP on a free port, the embedded broker on another):
/// how long it took to start, and how long its custody replay (<c>CustodyReplay</c>'s log line) took.
/// </summary>
internal sealed partial class ScaleHub : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private ScaleHub(Process process, StringBuilder output, Uri api, TimeSpan startup, long replayedEntries, TimeSpan replay, TimeSpan? startupCpu)
    {
        StartupCpu = startupCpu;
        _process = process;
        _output = output;
        Api = api;
        Startup = startup;
        ReplayedEntries = replayedEntries;
        Replay = replay;
    }

    public Uri Api { get; }

    public int Pid => _process.Id;

    /// <summary>From process start to the broker listening (after the log check and the custody replay).</summary>
    public TimeSpan Startup { get; }

    public long ReplayedEntries { get; }

    public TimeSpan Replay { get; }

    /// <summary>The hub's CPU time (user + system) when it was up: on a shared machine a steadier figure than the wall time.</summary>
    public TimeSpan? StartupCpu { get; }

    public bool HasExited => _process.HasExited;

    public string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    public static async Task<ScaleHub> StartAsync(string hubDll, string dataDirectory, IEnumerable<string> settings, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments =
        [
            hubDll, $"--urls=http://127.0.0.1:{port}", $"--Hub:DataDirectory={dataDirectory}", "--Broker:Port=0",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:SupplyChain.Hub.Custody.CustodyReplay=Information",
            .. settings.Select(s => "--" + s),
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = new StringBuilder();
        var listening = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var replayed = new TaskCompletionSource<(long, TimeSpan)>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Line(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }

            if (line.StartsWith("MQTT broker (embedded) listening on", StringComparison.Ordinal))
            {
                listening.TrySetResult(clock.Elapsed);
            }
            else if (ReplayLine().Match(line) is { Success: true } match)
            {
                replayed.TrySetResult((long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))));
            }
        }

        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var started = Task.WhenAll(listening.Task, replayed.Task);
        await Task.WhenAny(started, process.WaitForExitAsync(cancellationToken), Task.Delay(timeout, cancellationToken));
        if (!started.IsCompletedSuccessfully)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            process.Dispose();
            lock (output)
            {
                throw new InvalidOperationException($"The hub did not start within {timeout.TotalSeconds:N0} s. Output:\n{output}");
            }
        }

        var (entries, replay) = await replayed.Task;
        var hub = new ScaleHub(process, output, new Uri($"http://127.0.0.1:{port}"), await listening.Task, entries, replay, Load.ProcessMeter.CpuTime(process.Id));

        // The HTTP server starts with the host; wait until it answers before anyone measures it.
        using var http = new HttpClient { BaseAddress = hub.Api, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/v1/log/checkpoint", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < timeout)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        return hub;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Custody state rebuilt from (\d+) log entries in (\d+) ms")]
    private static partial Regex ReplayLine();
}
