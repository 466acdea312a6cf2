using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SupplyChain.Benchmarks.Agent;

/// <summary>
/// The real agent as a child process (<c>dotnet coldtrace-agent.dll</c>) on a data directory: scans on its standard
/// input (<c>Scanner:Type=stdin</c>) and its signal lines on its standard output (<c>Feedback:SignalFile=-</c>), each
/// read with the <see cref="Stopwatch.GetTimestamp"/> at which it arrived. The signal line is written after the
/// outbox commit is on disk (<c>SignalFile</c>, DESIGN.md §5), so scan line written → green line read is scan-to-durable
/// plus two pipe hops.
/// </summary>
internal sealed class AgentChild : IAsyncDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<(long At, string Line)> _signals = [];
    private readonly ConcurrentQueue<string> _other = new();
    private readonly Stream _stdin;

    private AgentChild(Process process, int statusPort)
    {
        _process = process;
        StatusPort = statusPort;
        _stdin = process.StandardInput.BaseStream;
        process.OutputDataReceived += (_, e) =>
        {
            var at = Stopwatch.GetTimestamp();
            if (e.Data is not { } line)
            {
                return;
            }

            // "{time} green {seq} {id}", "{time} red {reason}", ...: a timestamp, a space, a signal word.
            if (line.Length > 25 && line[4] == '-' && line[10] == 'T' && line[23] == 'Z' && line[24] == ' ')
            {
                _signals.Add((at, line));
            }
            else
            {
                Keep(line);
            }
        };
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public int StatusPort { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The agent's last lines other than signals (logs), for error messages.</summary>
    public string Output => string.Join('\n', _other.TakeLast(40));

    public static AgentChild Start(string agentDll, string directory, string deviceId, IReadOnlyList<string> settings, IReadOnlyList<string> prefix)
    {
        var statusPort = FreePort();

        // A .dll runs under the shared runtime (dotnet coldtrace-agent.dll, the build output); anything else is a published
        // executable (self-contained, trimmed: what firmware-config installs on a Pi) and runs as it is.
        var viaDotnet = agentDll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        if (!viaDotnet)
        {
            prefix = [.. prefix, agentDll];
        }

        var info = new ProcessStartInfo(prefix.Count == 0 ? "dotnet" : prefix[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var word in prefix.Skip(1))
        {
            info.ArgumentList.Add(word);
        }

        if (viaDotnet && prefix.Count > 0)
        {
            info.ArgumentList.Add("dotnet");
        }

        string[] arguments =
        [
            .. viaDotnet ? [agentDll] : Array.Empty<string>(),
            "--Station:Role=commissioning",
            $"--Station:SiteGln={OutboxSeed.Site}",
            $"--Station:DeviceId={deviceId}",
            $"--Station:DataDirectory={directory}",
            "--Scanner:Type=stdin",
            "--Feedback:SignalFile=-",
            $"--Status:Port={statusPort}",
            "--Logging:LogLevel:Default=Warning",
            .. settings.Select(s => "--" + s),
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new AgentChild(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start."), statusPort);
    }

    /// <summary>Writes one scan line; returns the <see cref="Stopwatch.GetTimestamp"/> just before the write.</summary>
    public long Scan(string line)
    {
        var bytes = Encoding.ASCII.GetBytes(line + "\n");
        var at = Stopwatch.GetTimestamp();
        _stdin.Write(bytes);
        _stdin.Flush();
        return at;
    }

    /// <summary>The next signal line, or null when none came within <paramref name="timeout"/>.</summary>
    public (long At, string Line)? NextSignal(TimeSpan timeout) =>
        _signals.TryTake(out var signal, timeout) ? signal : null;

    /// <summary>GET <c>/metrics</c> on the agent's loopback status endpoint; null while it does not answer.</summary>
    public async Task<string?> MetricsAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return await http.GetStringAsync(new Uri($"http://127.0.0.1:{StatusPort}/metrics"), cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Resident set size now (<c>VmRSS</c>) and at its peak (<c>VmHWM</c>) in bytes, from /proc.</summary>
    public (long Rss, long Peak) Memory()
    {
        long Field(string[] lines, string name) =>
            long.Parse(lines.First(l => l.StartsWith(name, StringComparison.Ordinal))[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        var status = File.ReadAllLines($"/proc/{Pid}/status");
        return (Field(status, "VmRSS:"), Field(status, "VmHWM:"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _signals.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _other.Enqueue(line);
        while (_other.Count > 200)
        {
            _other.TryDequeue(out _);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
