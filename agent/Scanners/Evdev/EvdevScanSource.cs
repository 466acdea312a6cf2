using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Win32.SafeHandles;

namespace SupplyChain.Agent.Scanners.Evdev;

/// <summary>
/// Reads a keyboard-wedge scanner from its evdev device (DESIGN.md §5). The device is grabbed, read on a dedicated thread
/// (a blocking read on a character device cannot be cancelled, so the thread polls with a short timeout) and decoded by
/// <see cref="EvdevScanDecoder"/>. When the device goes away it is reopened by path with <see cref="ReconnectBackoff"/>;
/// the scan in progress at that moment is lost, never completed from a later one.
/// </summary>
internal sealed partial class EvdevScanSource(
    EvdevScanSourceOptions options,
    TimeProvider timeProvider,
    ILogger<EvdevScanSource> logger,
    ReconnectBackoff? backoff = null) : IScanSource
{
    private const int PollTimeoutMilliseconds = 200;

    private readonly ReconnectBackoff _backoff = backoff ?? ReconnectBackoff.CreateDefault();

    public async IAsyncEnumerable<string> ReadScansAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var handle = TryOpen();
            if (handle is not null)
            {
                using (handle)
                {
                    LogOpened(logger, options.DevicePath);
                    var decoder = new EvdevScanDecoder(options.Layout, options.Fnc1Substitute);
                    var channel = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
                    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var pump = Task.Factory.StartNew(() => Pump(handle, channel.Writer, stop.Token), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                    var scans = new List<string>();
                    try
                    {
                        while (await NextChunkAsync(channel.Reader, cancellationToken).ConfigureAwait(false) is { } chunk)
                        {
                            _backoff.Reset();
                            decoder.Feed(chunk, scans);
                            foreach (var scan in scans)
                            {
                                yield return scan;
                            }

                            scans.Clear();
                        }
                    }
                    finally
                    {
                        await stop.CancelAsync().ConfigureAwait(false);
                        await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    }
                }
            }

            if (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            var delay = _backoff.NextDelay();
            LogReopening(logger, options.DevicePath, delay);
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

    // Null when the device is gone (the error is logged) or when cancelled.
    private async ValueTask<byte[]?> NextChunkAsync(ChannelReader<byte[]> reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (ChannelClosedException e) when (e.InnerException is IOException io)
        {
            LogLost(logger, options.DevicePath, io.Message);
            return null;
        }
    }

    private SafeFileHandle? TryOpen()
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(options.DevicePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogOpenFailed(logger, options.DevicePath, e.Message);
            return null;
        }

        if (options.Grab && !EvdevNative.TryGrab(handle, out var errno))
        {
            LogOpenFailed(logger, options.DevicePath, $"EVIOCGRAB failed (errno {errno}): {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}");
            handle.Dispose();
            return null;
        }

        return handle;
    }

    // Runs on its own thread until cancelled or the device fails; closing the handle releases the grab.
    private static void Pump(SafeFileHandle handle, ChannelWriter<byte[]> writer, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * InputEventLayout.Bits64.Size()];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var revents = EvdevNative.Poll(handle, PollTimeoutMilliseconds);
                if ((revents & (EvdevNative.PollErr | EvdevNative.PollHup | EvdevNative.PollNval)) != 0)
                {
                    throw new IOException("the device reported an error or hang-up (unplugged?)");
                }

                if ((revents & EvdevNative.PollIn) == 0)
                {
                    continue;
                }

                var read = EvdevNative.Read(handle, buffer);
                if (read == 0)
                {
                    throw new IOException("end of file: the device went away");
                }

                writer.TryWrite(buffer.AsSpan(0, read).ToArray());
            }

            writer.TryComplete();
        }
        catch (IOException e)
        {
            writer.TryComplete(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scanner {DevicePath} opened")]
    private static partial void LogOpened(ILogger logger, string devicePath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scanner {DevicePath} could not be opened: {Reason}")]
    private static partial void LogOpenFailed(ILogger logger, string devicePath, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scanner {DevicePath} lost: {Reason}")]
    private static partial void LogLost(ILogger logger, string devicePath, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reopening scanner {DevicePath} in {Delay}")]
    private static partial void LogReopening(ILogger logger, string devicePath, TimeSpan delay);
}
