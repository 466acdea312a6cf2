using System.IO.Ports;
using System.Runtime.CompilerServices;

namespace SupplyChain.Agent.Scanners.Serial;

/// <summary>
/// Reads scans from a serial or CDC-ACM port, one per CR/LF-terminated line (<see cref="ScanLineFramer"/>). An unplugged
/// port is reopened by name with <see cref="ReconnectBackoff"/>; a line cut off by the unplug is dropped.
/// </summary>
internal sealed partial class SerialScanSource(
    SerialScanSourceOptions options,
    TimeProvider timeProvider,
    ILogger<SerialScanSource> logger,
    ReconnectBackoff? backoff = null) : IScanSource
{
    private static readonly TimeSpan PresenceCheckInterval = TimeSpan.FromSeconds(2);

    private readonly ReconnectBackoff _backoff = backoff ?? ReconnectBackoff.CreateDefault();

    public async IAsyncEnumerable<string> ReadScansAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var port = TryOpen();
            if (port is not null)
            {
                using (port)
                {
                    LogOpened(logger, options.PortName);
                    using var portLost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var watch = WatchPresenceAsync(portLost);
                    await using (var scans = StreamScanReader.ReadScansAsync(port.BaseStream, options.Fnc1Substitute, portLost.Token).GetAsyncEnumerator(portLost.Token))
                    {
                        while (await MoveNextOrEndAsync(scans, cancellationToken).ConfigureAwait(false))
                        {
                            _backoff.Reset();
                            yield return scans.Current;
                        }
                    }

                    await portLost.CancelAsync().ConfigureAwait(false);
                    await watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }

            if (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            var delay = _backoff.NextDelay();
            LogReopening(logger, options.PortName, delay);
            try
            {
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    private async ValueTask<bool> MoveNextOrEndAsync(IAsyncEnumerator<string> scans, CancellationToken cancellationToken)
    {
        try
        {
            return await scans.MoveNextAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            LogLost(logger, options.PortName, "the device node disappeared");
            return false;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // On a hung-up tty (USB unplug) System.IO.Ports fails pending reads with ObjectDisposedException, not IOException.
            LogLost(logger, options.PortName, e.Message);
            return false;
        }
    }

    // A tty whose other side hung up can report only POLLHUP, which System.IO.Ports does not treat as an error, so a read
    // can wait forever. The device node vanishing is the unplug signal that always comes: check for it and end the read.
    private async Task WatchPresenceAsync(CancellationTokenSource portLost)
    {
        while (!portLost.IsCancellationRequested)
        {
            await Task.Delay(PresenceCheckInterval, timeProvider, portLost.Token).ConfigureAwait(false);
            if (!File.Exists(options.PortName))
            {
                await portLost.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private SerialPort? TryOpen()
    {
        var port = new SerialPort(options.PortName, options.BaudRate, Parity.None, 8, StopBits.One);
        try
        {
            port.Open();
            return port;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            LogOpenFailed(logger, options.PortName, e.Message);
            port.Dispose();
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scanner port {PortName} opened")]
    private static partial void LogOpened(ILogger logger, string portName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scanner port {PortName} could not be opened: {Reason}")]
    private static partial void LogOpenFailed(ILogger logger, string portName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scanner port {PortName} lost: {Reason}")]
    private static partial void LogLost(ILogger logger, string portName, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reopening scanner port {PortName} in {Delay}")]
    private static partial void LogReopening(ILogger logger, string portName, TimeSpan delay);
}
