using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SupplyChain.Agent.Outbox;

/// <summary>
/// The append-only file (<c>outbox.journal</c> beside <c>outbox.db</c>) that makes a custody scan durable with one write
/// and one <c>fdatasync</c>, instead of a LiteDB transaction (two fsyncs and the page copies) behind the outbox's lock.
/// <see cref="EventOutbox"/> copies its records into the store in batches and then empties it; at open it replays what
/// the store does not hold yet (docs/RELIABILITY.md "Torn or corrupt journal").
/// <para>
/// Emptying the file (<see cref="Truncate"/>) is not fsynced: a record that comes back after a crash is one the store
/// already holds (its seq is below the store's next seq) and replay skips it; the next append's <c>fdatasync</c> makes
/// the shorter length durable together with the new record. A write that fails (ENOSPC, EIO) is cut off again at once;
/// if even that fails, the journal takes no records until it has been emptied.
/// </para>
/// </summary>
internal sealed class CustodyJournal : IDisposable
{
    public const string FileName = "outbox.journal";

    private readonly SafeFileHandle _handle;
    private long _length;

    private CustodyJournal(string path, SafeFileHandle handle, long length)
    {
        Path = path;
        _handle = handle;
        _length = length;
    }

    public string Path { get; }

    /// <summary>Bytes of whole records in the file.</summary>
    public long Length => _length;

    /// <summary>A failed write could not be cut off: no record is taken until <see cref="Truncate"/> succeeds.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>How many times the file was synced to disk since opening.</summary>
    public long DiskFlushes { get; private set; }

    /// <summary>
    /// Opens (or creates) the journal of the outbox in <paramref name="directory"/>, keeping its first
    /// <paramref name="keep"/> bytes (the whole records the store does not hold yet; 0 once replayed).
    /// </summary>
    public static CustodyJournal Open(string directory, long keep)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            RandomAccess.SetLength(handle, keep);
            return new CustodyJournal(path, handle, keep);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The whole records at the start of the journal in <paramref name="directory"/>, in order.</summary>
    public static JournalContents Read(string directory)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return new JournalContents([], 0, 0, Damaged: false);
        }

        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }

        var records = new List<JournalRecord>();
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (JournalRecord.TryDecode(bytes.AsSpan(offset)) is not { } read)
            {
                break;
            }

            // One chain, appended in order: a record that does not follow its predecessor is not this journal's.
            if (records.Count > 0 && (read.Record.Seq != records[^1].Seq + 1 || read.Record.Prev != records[^1].EventId))
            {
                return new JournalContents(records, offset, bytes.Length, Damaged: true);
            }

            records.Add(read.Record);
            offset += read.Length;
        }

        // A crash mid-append leaves a cut-off record (or zeros) at the end: expected. A whole record after the first bad
        // one means the damage is inside the journal, and records the operator heard confirmed are lost.
        return new JournalContents(records, offset, bytes.Length, Damaged: HasRecordAfter(bytes, offset));
    }

    /// <summary>Appends one record and syncs it: when this returns the record is on disk.</summary>
    /// <exception cref="IOException">The write or sync failed; the record is not in the journal.</exception>
    public void Append(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (IsBroken)
        {
            throw new IOException($"{Path}: an earlier failed write could not be cut off");
        }

        var bytes = record.Encode();
        try
        {
            RandomAccess.Write(_handle, bytes, _length);
            Sync();
        }
        catch (IOException)
        {
            // Nothing of a failed append may be read at the next open: cut the file back to the last whole record.
            try
            {
                RandomAccess.SetLength(_handle, _length);
                Sync();
            }
            catch (IOException)
            {
                IsBroken = true;
            }

            throw;
        }

        _length += bytes.Length;
    }

    /// <summary>Empties the journal once every record in it is durable in the store.</summary>
    public void Truncate()
    {
        try
        {
            RandomAccess.SetLength(_handle, 0);
        }
        catch (IOException)
        {
            IsBroken = true;
            throw;
        }

        _length = 0;
        IsBroken = false;
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>Moves a damaged journal aside (<c>outbox.journal.corrupt-yyyyMMddHHmmss</c>) and returns where.</summary>
    public static string MoveAside(string directory, DateTimeOffset now)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        var target = path + ".corrupt-" + now.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        File.Move(path, target, overwrite: false);
        return target;
    }

    private static bool HasRecordAfter(byte[] bytes, int offset)
    {
        for (var i = offset + 1; i + JournalRecord.HeaderBytes <= bytes.Length; i++)
        {
            if (bytes[i] == (byte)'C' && JournalRecord.TryDecode(bytes.AsSpan(i)) is not null)
            {
                return true;
            }
        }

        return false;
    }

    private void Sync()
    {
        if (FdataSync(_handle) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{Path}: fdatasync failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        DiskFlushes++;
    }

    // fdatasync(2): the record and the file's new length, without the inode's times (FileStream.Flush(true) is fsync).
    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static extern int FdataSync(SafeFileHandle fd);
}

/// <summary>
/// What <see cref="CustodyJournal.Read"/> found: the whole records from the start, in chain order, where they end, the
/// file's length, and whether the damage lies inside the journal (a whole record after a bad one) rather than at its tail.
/// </summary>
internal sealed record JournalContents(IReadOnlyList<JournalRecord> Records, long ValidLength, long FileLength, bool Damaged)
{
    /// <summary>Bytes after the last whole record: a torn or zero-filled tail, or the damage.</summary>
    public long CutBytes => FileLength - ValidLength;
}
