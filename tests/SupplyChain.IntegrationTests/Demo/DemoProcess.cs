using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using SupplyChain.IntegrationTests.Scenario;

namespace SupplyChain.IntegrationTests.Demo;

/// <summary>An example pack as the demo printed it: the site it is asked at, both forms of its barcode, and what to expect.</summary>
internal sealed record PrintedExample(string Title, string Site, string Bracketed, string DigitalLink, string Expect);

/// <summary>
/// <c>coldtrace-hub demo</c> as a child process, exactly as a new user starts it (plus a temporary directory, a free port
/// and a fast pace), with its console read back: the demo tokens and the example packs it prints.
/// </summary>
internal sealed partial class DemoProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Process _process;

    private DemoProcess(string directory, int port, Process process)
    {
        Directory = directory;
        Web = new Uri($"http://127.0.0.1:{port}/");
        _process = process;
    }

    public string Directory { get; }

    public Uri Web { get; }

    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static DemoProcess Start(double pace)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("coldtrace-demo-test-").FullName;
        var port = ScenarioBroker.FreePort();
        var process = ChildProcess.StartDotnet(
            ChildProcess.ProjectDll("hub", "coldtrace-hub"),
            "demo", "--data", directory, "--urls", $"http://127.0.0.1:{port}", "--pace", pace.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var demo = new DemoProcess(directory, port, process);
        process.OutputDataReceived += (_, e) => demo._output.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => demo._output.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return demo;
    }

    /// <summary>The token printed for a role in the banner's sign-in table.</summary>
    public string TokenOf(string role) =>
        _output.Select(line => TokenLine().Match(line)).First(m => m.Success && m.Groups["role"].Value == role).Groups["token"].Value;

    /// <summary>Waits for the "Packs to verify" block and reads its examples.</summary>
    public async Task<IReadOnlyList<PrintedExample>> ExamplesAsync()
    {
        await ScenarioWait.Eventually(
            "the demo prints its example packs",
            () => Task.FromResult(_output.Any(l => l.StartsWith("  With curl", StringComparison.Ordinal))),
            () => Output,
            () => Assert.False(_process.HasExited, "the demo exited:\n" + Output));
        var lines = _output.ToList();
        var examples = new List<PrintedExample>();
        for (var i = lines.FindIndex(l => l.StartsWith("Packs to verify", StringComparison.Ordinal)) + 1; i + 3 < lines.Count && ExampleLine().Match(lines[i]) is { Success: true } head; i += 4)
        {
            examples.Add(new PrintedExample(head.Groups["title"].Value, head.Groups["site"].Value, lines[i + 1].Trim(), lines[i + 2].Trim(), lines[i + 3].Trim().Replace("expect: ", string.Empty, StringComparison.Ordinal)));
        }

        return examples;
    }

    /// <summary>
    /// Stops the demo as Ctrl+C does: the host's console lifetime handles SIGINT and SIGTERM alike. SIGTERM, because a
    /// process started from a background job inherits SIGINT ignored, and the test may run under one.
    /// </summary>
    public async Task StopAsync(TimeSpan patience)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(patience);
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    [GeneratedRegex(@"^    (?<role>pharmacist|quality|warehouse|auditor|admin)\s+\S+\s+(?<token>ct_\S+)$")]
    private static partial Regex TokenLine();

    [GeneratedRegex(@"^  (?<title>\d\. [^,]+), asked at .* \(site (?<site>\d{13})\)$")]
    private static partial Regex ExampleLine();
}
