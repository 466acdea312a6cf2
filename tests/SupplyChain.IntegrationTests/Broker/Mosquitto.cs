using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SupplyChain.IntegrationTests.Broker;

/// <summary>
/// A real Mosquitto (Debian's <c>/usr/sbin/mosquitto</c>, installed by tests/run.sh) started by the test from
/// firmware-config/mosquitto/mosquitto.conf on a free loopback port with its files in a temporary directory: the TLS
/// listener block is removed and the paths, port and user replaced. Never the system service. A missing binary fails
/// the test.
/// </summary>
internal sealed class Mosquitto : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/mosquitto";
    public const string PasswdTool = "/usr/bin/mosquitto_passwd";
    public const string SubTool = "/usr/bin/mosquitto_sub";

    private Process _process;
    private readonly ConcurrentQueue<(long Timestamp, string Line)> _output;

    private Mosquitto(Process process, ConcurrentQueue<(long Timestamp, string Line)> output, string directory, int port, int? tlsPort)
    {
        _process = process;
        _output = output;
        Directory = directory;
        Port = port;
        TlsPort = tlsPort;
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>The TLS listener's port, when started with <c>server.crt</c>/<c>server.key</c> in the directory.</summary>
    public int? TlsPort { get; }

    public string PasswordFile => Path.Combine(Directory, "passwords");

    public string AclFile => Path.Combine(Directory, "acl");

    /// <summary>What Mosquitto logged so far (for failure messages).</summary>
    public string Log => string.Join('\n', _output.Select(o => o.Line));

    /// <summary>Every line Mosquitto logged so far with the <see cref="Stopwatch.GetTimestamp"/> at which it was read.</summary>
    public IReadOnlyList<(long Timestamp, string Line)> LogLines => [.. _output];

    /// <summary>Mosquitto's persistence file (<c>persistence_location</c> + the default <c>mosquitto.db</c>).</summary>
    public string PersistenceFile => Path.Combine(Directory, "mosquitto.db");

    /// <summary>A fresh directory for the password and ACL files, to fill before <see cref="StartAsync"/>.</summary>
    public static string NewDirectory()
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: install Debian's mosquitto (tests/run.sh does).");
        Assert.True(File.Exists(PasswdTool), $"{PasswdTool} is missing: install Debian's mosquitto (tests/run.sh does).");
        return System.IO.Directory.CreateTempSubdirectory("coldtrace-mosquitto-").FullName;
    }

    /// <summary>Adds or replaces a user in the directory's password file with the real <c>mosquitto_passwd -b</c>.</summary>
    public static async Task AddUserAsync(string directory, string user, string password)
    {
        var file = Path.Combine(directory, "passwords");
        if (!File.Exists(file))
        {
            await File.WriteAllTextAsync(file, string.Empty);
        }

        var info = new ProcessStartInfo(PasswdTool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-b", file, user, password })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"mosquitto_passwd failed: {error}");
    }

    /// <summary>
    /// The first message on <paramref name="topic"/> as Debian's <c>mosquitto_sub</c> (MQTT 5) logged in as
    /// <paramref name="user"/> receives it within 10 s (a retained one at once), or what it printed when it got none.
    /// </summary>
    public async Task<(int Exit, string Output)> SubscribeOnceAsync(string user, string password, string topic)
    {
        Assert.True(File.Exists(SubTool), $"{SubTool} is missing: install Debian's mosquitto-clients (tests/run.sh does).");
        var info = new ProcessStartInfo(SubTool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", "mqttv5", "-u", user, "-P", password, "-t", topic, "-C", "1", "-W", "10" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    /// <summary>
    /// The shipped configuration made runnable here: with this directory for the files, certificates and persistence,
    /// <paramref name="port"/> for the loopback listener, the TLS listener on loopback <paramref name="tlsPort"/> (or
    /// removed when null) and the current user.
    /// </summary>
    public static string Configuration(string directory, int port, int? tlsPort)
    {
        var lines = new List<string>();
        var inTls = false;
        foreach (var line in File.ReadAllLines(ShippedConfiguration()))
        {
            if (line.StartsWith("# BEGIN tls", StringComparison.Ordinal) || line.StartsWith("# END tls", StringComparison.Ordinal))
            {
                inTls = line.StartsWith("# BEGIN", StringComparison.Ordinal);
                continue;
            }

            if (inTls && tlsPort is null)
            {
                continue;
            }

            var replaced = line
                .Replace("/etc/mosquitto/coldtrace/", directory + "/", StringComparison.Ordinal)
                .Replace("/etc/mosquitto/certs/", directory + "/", StringComparison.Ordinal)
                .Replace("/var/lib/mosquitto/", directory + "/", StringComparison.Ordinal);
            if (inTls && replaced == "listener 8883")
            {
                replaced = $"listener {tlsPort} 127.0.0.1";
            }
            else if (replaced == "listener 1883 127.0.0.1")
            {
                replaced = $"listener {port} 127.0.0.1";
            }
            else if (replaced == "user mosquitto")
            {
                replaced = $"user {Environment.UserName}";
            }

            lines.Add(replaced);
        }

        return string.Join('\n', lines) + "\n";
    }

    public static string ShippedConfiguration() => Path.Combine(RepositoryRoot(), "firmware-config", "mosquitto", "mosquitto.conf");

    public static string ShippedBridgeExample() => Path.Combine(RepositoryRoot(), "firmware-config", "mosquitto", "bridge-site.conf.example");

    public static string RepositoryRoot()
    {
        // …/tests/SupplyChain.IntegrationTests/bin/<Configuration>/net10.0/
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        return testBin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
    }

    /// <summary>Starts Mosquitto on <paramref name="directory"/>'s password and ACL files and waits until it accepts connections.</summary>
    /// <param name="directory">Holds <c>passwords</c> and <c>acl</c> (and <c>server.crt</c>/<c>server.key</c> to start the TLS listener).</param>
    /// <param name="extraConfiguration">Appended to the configuration (e.g. a bridge).</param>
    public static async Task<Mosquitto> StartAsync(string directory, string? extraConfiguration = null)
    {
        Assert.True(File.Exists(Path.Combine(directory, "passwords")), "Add users before starting Mosquitto.");
        Assert.True(File.Exists(Path.Combine(directory, "acl")), "Write the ACL before starting Mosquitto.");
        var port = FreePort();
        int? tlsPort = File.Exists(Path.Combine(directory, "server.crt")) ? FreePort() : null;
        var configuration = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(configuration, Configuration(directory, port, tlsPort) + (extraConfiguration ?? string.Empty));

        var output = new ConcurrentQueue<(long Timestamp, string Line)>();
        var broker = new Mosquitto(Launch(configuration, output), output, directory, port, tlsPort);
        await broker.ListeningAsync();
        return broker;
    }

    /// <summary>
    /// Kills Mosquitto (SIGKILL: no final save, as a crash) and starts it again on the same files and port; with
    /// <paramref name="forgetState"/> its persistence file is deleted in between, so it comes back without any session,
    /// subscription, queued or retained message.
    /// </summary>
    public async Task RestartAsync(bool forgetState = false)
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        if (forgetState)
        {
            File.Delete(PersistenceFile);
        }

        _process = Launch(Path.Combine(Directory, "mosquitto.conf"), _output);
        await ListeningAsync();
    }

    private static Process Launch(string configuration, ConcurrentQueue<(long Timestamp, string Line)> output)
    {
        var info = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(configuration);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue((Stopwatch.GetTimestamp(), e.Data)); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue((Stopwatch.GetTimestamp(), e.Data)); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task ListeningAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"mosquitto exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, timeout.Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static int FreePort() => Scenario.ScenarioBroker.FreePort();
}
