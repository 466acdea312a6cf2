using System.Runtime.CompilerServices;

namespace SupplyChain.Agent.Scanners;

/// <summary>Reads scans from any byte stream (serial port, stdin, TCP connection) until it ends.</summary>
internal static class StreamScanReader
{
    /// <summary>Yields each scan the stream completes; an unterminated tail at end of stream is not a scan and is dropped.</summary>
    public static async IAsyncEnumerable<string> ReadScansAsync(Stream stream, Fnc1Substitute substitute, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var framer = new ScanLineFramer(substitute);
        var buffer = new byte[1024];
        var scans = new List<string>();
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            framer.Feed(buffer.AsSpan(0, read), scans);
            foreach (var scan in scans)
            {
                yield return scan;
            }

            scans.Clear();
        }
    }
}
