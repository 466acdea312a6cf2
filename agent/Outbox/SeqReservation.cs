using System.Globalization;

namespace SupplyChain.Agent.Outbox;

/// <summary>
/// A high-water mark for <c>seq</c> kept beside the outbox (<c>outbox.seq</c>), so a chain restarted after the store was
/// lost or found corrupt never reuses a number the hub may already hold (PROTOCOL.md §2.2: seq never repeats). Numbers are
/// reserved in blocks: the file is rewritten (write, fsync, rename) only when the chain reaches the end of a block.
/// </summary>
internal sealed class SeqReservation
{
    public const string FileName = "outbox.seq";
    public const long BlockSize = 1024;

    private readonly string _path;

    public SeqReservation(string directory)
    {
        _path = Path.Combine(directory, FileName);
        ReservedUpTo = ReadFile(_path);
    }

    /// <summary>Every seq below this may have been used; 0 when there is no reservation file.</summary>
    public long ReservedUpTo { get; private set; }

    /// <summary>Makes sure <paramref name="seq"/> is covered by the file before an event with it is committed.</summary>
    public void Cover(long seq)
    {
        if (seq < ReservedUpTo)
        {
            return;
        }

        var next = seq + BlockSize;
        var temporary = _path + ".new";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(next.ToString(CultureInfo.InvariantCulture) + "\n"));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
        ReservedUpTo = next;
    }

    private static long ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        // A damaged file cannot tell us anything; the store's own counter still applies.
        return long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : 0;
    }
}
