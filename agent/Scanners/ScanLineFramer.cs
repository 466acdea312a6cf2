using System.Text;

namespace SupplyChain.Agent.Scanners;

/// <summary>
/// Splits a byte stream from a serial, CDC-ACM, stdin or TCP scanner into scans. A scan ends at CR or LF; CR LF and
/// empty lines produce no empty scans, so chunks may split anywhere, even between CR and LF. Bytes map one to one onto
/// chars (Latin-1) so nothing is lost before the GS1 parser judges it. A line longer than the limit is discarded whole.
/// Bytes after the last terminator wait for more input.
/// </summary>
internal sealed class ScanLineFramer(Fnc1Substitute substitute, int maxScanLength = ScanLineFramer.DefaultMaxScanLength)
{
    public const int DefaultMaxScanLength = 4096;

    private readonly StringBuilder _line = new();
    private bool _overlong;

    /// <summary>How many over-long lines were thrown away.</summary>
    public int DiscardedScans { get; private set; }

    /// <summary>Adds <paramref name="chunk"/> and appends any scans it completes to <paramref name="scans"/>.</summary>
    public void Feed(ReadOnlySpan<byte> chunk, ICollection<string> scans)
    {
        foreach (var b in chunk)
        {
            if (b is (byte)'\r' or (byte)'\n')
            {
                if (_overlong)
                {
                    _overlong = false;
                    DiscardedScans++;
                }
                else if (_line.Length > 0)
                {
                    scans.Add(substitute.Apply(_line.ToString()));
                }

                _line.Clear();
                continue;
            }

            if (_overlong)
            {
                continue;
            }

            if (_line.Length == maxScanLength)
            {
                _overlong = true;
                _line.Clear();
                continue;
            }

            _line.Append((char)b);
        }
    }
}
