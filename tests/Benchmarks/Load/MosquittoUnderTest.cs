using System.Diagnostics;
using System.Net.Sockets;
using SupplyChain.Hub;
using SupplyChain.Hub.Devices;

namespace SupplyChain.Benchmarks.Load;

/// <summary>
/// <c>--mosquitto</c>: a Mosquitto process this run starts on loopback with the shipped configuration
/// (firmware-config/mosquitto/mosquitto.conf, TLS listener removed), a password file made with <c>mosquitto_passwd</c>
/// and the ACL the hub writes (<c>devices export-mosquitto</c>), so the hubs consume as in production's external mode.
/// </summary>
internal sealed class MosquittoUnderTest : IAsyncDisposable
{
    public const string HubUser = "$hub";
    public const string HubPassword = "bench-hub-pa55word";

    private readonly Process _process;

    private MosquittoUnderTest(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    /// <summary>Writes the password file and the ACL for <paramref name="enrolments"/> (enrolled already), then starts Mosquitto.</summary>
    public static async Task<MosquittoUnderTest> StartAsync(string directory, IReadOnlyList<EnrolRequest> enrolments, string? postgres, string hubDataDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var passwords = Path.Combine(directory, "passwords");
        await PasswdAsync(["-c", "-b", passwords, HubUser, HubPassword], cancellationToken);
        foreach (var enrolment in enrolments)
        {
            await PasswdAsync(["-b", passwords, enrolment.Id, enrolment.Password!], cancellationToken);
        }

        string[] export = ["devices", "export-mosquitto", "--data", hubDataDirectory, "--acl", Path.Combine(directory, "acl"), "--passwords", passwords];
        var exit = await HubCommandLine.Build().Parse(postgres is null ? export : [.. export, "--postgres", postgres]).InvokeAsync(cancellationToken: cancellationToken);
        if (exit != 0)
        {
            throw new InvalidOperationException($"devices export-mosquitto exited {exit}.");
        }

        var port = FreePort();
        var configuration = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(configuration, Configuration(directory, port), cancellationToken);
        var info = new ProcessStartInfo("/usr/sbin/mosquitto") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(configuration);
        var process = Process.Start(info) ?? throw new InvalidOperationException("mosquitto did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var broker = new MosquittoUnderTest(process, port);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port, cancellationToken);
                return broker;
            }
            catch (SocketException) when (attempt < 100 && !process.HasExited)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
    }

    /// <summary>The shipped configuration with this run's files, port and user, the TLS listener left out.</summary>
    private static string Configuration(string directory, int port)
    {
        var shipped = Path.Combine(RepositoryRoot(), "firmware-config", "mosquitto", "mosquitto.conf");
        var lines = new List<string>();
        var inTls = false;
        foreach (var line in File.ReadAllLines(shipped))
        {
            if (line.StartsWith("# BEGIN tls", StringComparison.Ordinal) || line.StartsWith("# END tls", StringComparison.Ordinal))
            {
                inTls = line.StartsWith("# BEGIN", StringComparison.Ordinal);
                continue;
            }

            if (inTls)
            {
                continue;
            }

            var replaced = line
                .Replace("/etc/mosquitto/coldtrace/", directory + "/", StringComparison.Ordinal)
                .Replace("/var/lib/mosquitto/", directory + "/", StringComparison.Ordinal);
            replaced = replaced switch
            {
                "listener 1883 127.0.0.1" => $"listener {port} 127.0.0.1",
                "user mosquitto" => $"user {Environment.UserName}",
                _ => replaced,
            };
            lines.Add(replaced);
        }

        return string.Join('\n', lines) + "\n";
    }

    private static string RepositoryRoot()
    {
        // …/tests/Benchmarks/bin/<Configuration>/net10.0/
        var bin = new DirectoryInfo(AppContext.BaseDirectory);
        return bin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
    }

    private static async Task PasswdAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("/usr/bin/mosquitto_passwd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("mosquitto_passwd did not start.");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_passwd exited {process.ExitCode}: {await error}");
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
