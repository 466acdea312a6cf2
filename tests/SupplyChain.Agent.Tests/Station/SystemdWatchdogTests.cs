using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SupplyChain.Agent.Station;
using SupplyChain.Agent.Tests.Outbox;

namespace SupplyChain.Agent.Tests.Station;

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
    [InlineData("/run/notify", null, null)]
    [InlineData("/run/notify", "0", null)]
    [InlineData("/run/notify", "30000000", "41")]
    public void FromEnvironment_NoWatchdogForUs_NoInterval(string? socket, string? usec, string? pid)
    {
        var settings = WatchdogSettings.FromEnvironment(Env(("NOTIFY_SOCKET", socket), ("WATCHDOG_USEC", usec), ("WATCHDOG_PID", pid)), 42);

        Assert.Null(settings.Interval);
    }

    [Fact]
    public async Task Run_NotifySocket_SendsWatchdogDatagramEveryInterval()
    {
        using var directory = new TempDirectory();
        var path = directory.File("notify");
        using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        receiver.Bind(new UnixDomainSocketEndPoint(path));
        var time = new FakeTimeProvider();
        using var watchdog = new SystemdWatchdog(new WatchdogSettings(path, TimeSpan.FromSeconds(15)), time, NullLogger<SystemdWatchdog>.Instance);

        await watchdog.StartAsync(CancellationToken.None);
        var first = await ReceiveAsync(receiver);
        time.Advance(TimeSpan.FromSeconds(15));
        var second = await ReceiveAsync(receiver);
        await watchdog.StopAsync(CancellationToken.None);

        Assert.Equal("WATCHDOG=1", first);
        Assert.Equal("WATCHDOG=1", second);
    }

    [Fact]
    public async Task Run_OutboxStuck_NoPingUntilItAnswersAgain()
    {
        using var directory = new TempDirectory();
        var path = directory.File("notify");
        using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        receiver.Bind(new UnixDomainSocketEndPoint(path));
        var time = new FakeTimeProvider();
        var stuck = true;
        var asked = new List<TimeSpan>();
        using var watchdog = new SystemdWatchdog(
            new WatchdogSettings(path, TimeSpan.FromSeconds(15)), time, NullLogger<SystemdWatchdog>.Instance, wait =>
            {
                lock (asked)
                {
                    asked.Add(wait);
                }

                return !stuck;
            });

        await watchdog.StartAsync(CancellationToken.None);
        while (Count(asked) < 1)
        {
            await Task.Delay(10);
        }

        var whileStuck = receiver.Available;
        stuck = false;
        time.Advance(TimeSpan.FromSeconds(15));
        var after = await ReceiveAsync(receiver);
        await watchdog.StopAsync(CancellationToken.None);

        Assert.Equal(0, whileStuck);
        Assert.Equal("WATCHDOG=1", after);
        Assert.Equal(TimeSpan.FromSeconds(5), asked[0]);
    }

    [Fact]
    public async Task Run_NoWatchdog_SendsNothing()
    {
        using var directory = new TempDirectory();
        var path = directory.File("notify");
        using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        receiver.Bind(new UnixDomainSocketEndPoint(path));
        using var watchdog = new SystemdWatchdog(new WatchdogSettings(path, null), new FakeTimeProvider(), NullLogger<SystemdWatchdog>.Instance);

        await watchdog.StartAsync(CancellationToken.None);
        await watchdog.StopAsync(CancellationToken.None);

        Assert.Equal(0, receiver.Available);
    }

    private static int Count(List<TimeSpan> asked)
    {
        lock (asked)
        {
            return asked.Count;
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
