using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace SupplyChain.Agent.Station;

/// <summary>
/// Pings the systemd watchdog (sd_notify(3): <c>WATCHDOG=1</c> as a datagram to <c>$NOTIFY_SOCKET</c>) every half of
/// <c>$WATCHDOG_USEC</c>, as sd_watchdog_enabled(3) recommends. Microsoft.Extensions.Hosting.Systemd sends only READY and
/// STOPPING, so a <c>WatchdogSec=</c> unit needs this. Does nothing when systemd did not ask for a watchdog.
/// <para>
/// A ping is sent only when <paramref name="responsive"/> (given a third of the interval to answer) says the outbox is not
/// stuck: LiteDB 5.0.20 can leave a write waiting for ever after ENOSPC (docs/RELIABILITY.md "Disk full and corrupt
/// stores"), and then the station takes no scan. Without pings systemd restarts the agent, whose open replays LiteDB's log.
/// </para>
/// </summary>
internal sealed partial class SystemdWatchdog(
    WatchdogSettings settings,
    TimeProvider timeProvider,
    ILogger<SystemdWatchdog> logger,
    Func<TimeSpan, bool>? responsive = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.SocketPath is not { } path || settings.Interval is not { } interval)
        {
            return;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var endpoint = new UnixDomainSocketEndPoint(path.StartsWith('@') ? "\0" + path[1..] : path);
        var message = Encoding.ASCII.GetBytes("WATCHDOG=1");
        using var timer = new PeriodicTimer(interval, timeProvider);
        LogEnabled(logger, interval);
        do
        {
            if (responsive is not null && !responsive(interval / 3))
            {
                LogStuck(logger, interval / 3);
                continue;
            }

            try
            {
                await socket.SendToAsync(message, SocketFlags.None, endpoint, stoppingToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                // systemd restarts us if pings stop; a transient send error is logged and the next tick tries again.
                LogSendFailed(logger, e.Message);
            }
        }
        while (await TickAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async ValueTask<bool> TickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "systemd watchdog ping every {Interval}")]
    private static partial void LogEnabled(ILogger logger, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The outbox has not answered for {Wait}: no watchdog ping, so systemd restarts the agent")]
    private static partial void LogStuck(ILogger logger, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "systemd watchdog ping failed: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string reason);
}

/// <summary>The notify socket and ping interval systemd passed in the environment; both null when there is no watchdog.</summary>
internal sealed record WatchdogSettings(string? SocketPath, TimeSpan? Interval)
{
    /// <summary>sd_watchdog_enabled(3): WATCHDOG_USEC in microseconds; WATCHDOG_PID, when set, must be our pid.</summary>
    public static WatchdogSettings FromEnvironment(Func<string, string?> getVariable, int processId)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var socket = getVariable("NOTIFY_SOCKET");
        var usec = getVariable("WATCHDOG_USEC");
        var pid = getVariable("WATCHDOG_PID");
        if (string.IsNullOrEmpty(socket)
            || !long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds)
            || microseconds <= 0
            || (!string.IsNullOrEmpty(pid) && pid != processId.ToString(CultureInfo.InvariantCulture)))
        {
            return new WatchdogSettings(socket, null);
        }

        return new WatchdogSettings(socket, TimeSpan.FromMicroseconds(microseconds / 2.0));
    }
}
