using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace SupplyChain.Hub.Tests;

public sealed class SystemdWatchdogTests
{
    [Fact]
    public void FromEnvironment_WatchdogUsec_PingsAtHalf()
    {
        var settings = WatchdogSettings.FromEnvironment(Env(("NOTIFY_SOCKET", "/run/notify"), ("WATCHDOG_USEC", "30000000")), 42);

        Assert.Equal("/run/notify", settings.SocketPath);
        Assert.Equal(TimeSpan.FromSeconds(15), settings.Interval);
    }

    [Theory]
    [InlineData(null, "30000000", null)]
    [InlineData("/run/notify", "0", null)]
    [InlineData("/run/notify", "30000000", "41")]
    public void FromEnvironment_NoWatchdogForUs_NoInterval(string? socket, string? usec, string? pid)
    {
        var settings = WatchdogSettings.FromEnvironment(Env(("NOTIFY_SOCKET", socket), ("WATCHDOG_USEC", usec), ("WATCHDOG_PID", pid)), 42);

        Assert.Null(settings.Interval);
    }

    [Fact]
    public async Task Run_NotifySocket_SendsWatchdogDatagramsUntilStopped()
    {
        var directory = Directory.CreateTempSubdirectory("coldtrace-watchdog-");
        try
        {
            var path = Path.Combine(directory.FullName, "notify");
            using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            receiver.Bind(new UnixDomainSocketEndPoint(path));
            using var watchdog = new SystemdWatchdog(
                new WatchdogSettings(path, TimeSpan.FromMilliseconds(50)), TimeProvider.System, NullLogger<SystemdWatchdog>.Instance);

            await watchdog.StartAsync(CancellationToken.None);
            var first = await ReceiveAsync(receiver);
            var second = await ReceiveAsync(receiver);
            await watchdog.StopAsync(CancellationToken.None);

            Assert.Equal("WATCHDOG=1", first);
            Assert.Equal("WATCHDOG=1", second);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[64];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var count = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, count);
    }

    private static Func<string, string?> Env(params (string Name, string? Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
