using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SupplyChain.IntegrationTests.Broker;

/// <summary>
/// Debian's <c>mosquitto_pub</c> and <c>mosquitto_sub</c> (mosquitto-clients, installed by tests/run.sh) run as MQTT 5
/// clients with <c>-d</c>, so their output names every CONNACK, PUBACK and SUBACK reason code the broker sent and the
/// topic of every PUBLISH it delivered.
/// </summary>
internal static partial class MosquittoClients
{
    public const string PubTool = "/usr/bin/mosquitto_pub";

    public const string RrTool = "/usr/bin/mosquitto_rr";

    /// <summary>Who connects: <paramref name="User"/> null is anonymous (no user name, no password).</summary>
    public sealed record Login(string? User, string? Password, string ClientId);

    /// <summary>Publishes one message at QoS 1 (file <paramref name="payloadFile"/> or text <paramref name="text"/>); returns the output.</summary>
    public static async Task<string> PublishAsync(int port, Login login, string topic, string? payloadFile = null, string? text = null)
    {
        Assert.True(File.Exists(PubTool), $"{PubTool} is missing: install Debian's mosquitto-clients (tests/run.sh does).");
        string[] payload = payloadFile is not null ? ["-f", payloadFile] : ["-m", text ?? "x"];
        using var process = Start(PubTool, [.. Common(port, login), "-t", topic, "-q", "1", .. payload]);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return await output + await error;
    }

    /// <summary>
    /// <c>mosquitto_rr</c>: subscribes to <paramref name="responseTopic"/>, publishes <paramref name="text"/> at QoS 1 on
    /// <paramref name="topic"/> and waits for one message (one client, so a device whose client id must be its user
    /// name can send an event and hear its ack); returns the output.
    /// </summary>
    public static async Task<string> RequestAsync(int port, Login login, string topic, string responseTopic, string text)
    {
        Assert.True(File.Exists(RrTool), $"{RrTool} is missing: install Debian's mosquitto-clients (tests/run.sh does).");
        using var process = Start(RrTool, [.. Common(port, login), "-t", topic, "-e", responseTopic, "-q", "1", "-m", text, "-W", "60"]);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return await output + await error;
    }

    /// <summary>The CONNACK reason code in a client's output (0 = accepted), or null when there was none.</summary>
    public static int? Connack(string output) => Code(ConnackLine().Match(output));

    /// <summary>The PUBACK reason code (MQTT 5 §3.4.2.1: ≥ 128 is a refusal), or null when none came.</summary>
    public static int? Puback(string output) => Code(PubackLine().Match(output));

    /// <summary>The SUBACK reason codes, one per filter in order (0–2 granted QoS, ≥ 128 refused); empty when none came.</summary>
    public static IReadOnlyList<int> Suback(string output) =>
        SubackLine().Match(output) is { Success: true } match
            ? [.. match.Groups[1].Value.Split(',').Select(code => int.Parse(code.Trim(), CultureInfo.InvariantCulture))]
            : [];

    /// <summary>The topics of every PUBLISH the broker delivered to a subscriber.</summary>
    public static IReadOnlyList<string> Delivered(string output) => [.. DeliveredLine().Matches(output).Select(m => m.Groups[1].Value)];

    private static int? Code(Match match) => match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    private static string[] Common(int port, Login login) =>
    [
        "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-V", "mqttv5", "-d", "-i", login.ClientId,
        .. login.User is null ? Array.Empty<string>() : ["-u", login.User],
        .. login.Password is null ? Array.Empty<string>() : ["-P", login.Password],
    ];

    private static Process Start(string tool, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info)!;
    }

    [GeneratedRegex(@"received CONNACK \((\d+)\)")]
    private static partial Regex ConnackLine();

    [GeneratedRegex(@"received PUBACK \(Mid: \d+, RC:(\d+)\)")]
    private static partial Regex PubackLine();

    [GeneratedRegex(@"Subscribed \(mid: \d+\): ([\d, ]+)")]
    private static partial Regex SubackLine();

    [GeneratedRegex(@"received PUBLISH \([^']*'([^']+)'")]
    private static partial Regex DeliveredLine();

    /// <summary>A running <c>mosquitto_sub</c> on some filters (one SUBSCRIBE), its output collected line by line until it is stopped.</summary>
    public sealed class Subscriber : IAsyncDisposable
    {
        public const string SubTool = "/usr/bin/mosquitto_sub";

        private const string LineBuffered = "/usr/bin/stdbuf";

        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new();

        public Subscriber(int port, Login login, IEnumerable<string> filters)
        {
            Assert.True(File.Exists(SubTool), $"{SubTool} is missing: install Debian's mosquitto-clients (tests/run.sh does).");
            Assert.True(File.Exists(LineBuffered), $"{LineBuffered} is missing: install Debian's coreutils.");
            // mosquitto_sub's stdout into a pipe is block-buffered: stdbuf makes each SUBACK and PUBLISH line arrive as it happens.
            _process = Start(LineBuffered, ["-oL", "-eL", SubTool, .. Common(port, login), .. filters.SelectMany(filter => new[] { "-t", filter }), "-q", "1", "-v", "-W", "120"]);
            _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _lines.Enqueue(e.Data); } };
            _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _lines.Enqueue(e.Data); } };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Output => string.Join('\n', _lines);

        /// <summary>Still running and never told to go (a session taken over or a refused SUBSCRIBE would end it).</summary>
        public bool IsConnected => !_process.HasExited && !Output.Contains("DISCONNECT (", StringComparison.Ordinal) && !Output.Contains("lost", StringComparison.Ordinal);

        /// <summary>Waits until the broker answered the SUBSCRIBE (or refused the CONNECT, or the tool ended).</summary>
        public async Task<string> AnsweredAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (Suback(Output).Count == 0 && Connack(Output) is null or 0 && !_process.HasExited)
            {
                await Task.Delay(50, timeout.Token);
            }

            return Output;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
