using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SupplyChain.Agent.Outbox;

/// <summary>
/// The append-only file (<c>outbox.journal</c> beside <c>outbox.db</c>) that makes a custody scan durable with one write
/// and one <c>fdatasync</c>, instead of a LiteDB transaction (two fsyncs and the page copies) behind the outbox's lock.
/// <see cref="EventOutbox"/> copies its records into the store in batches and then starts the file over; at open it
/// replays what the store does not hold yet (docs/RELIABILITY.md "Torn or corrupt journal").
/// <para>
/// The file is written full of zeros once when opened (<see cref="PreallocatedBytes"/>), and starting over only moves the
/// write position back to just after the header. So an append inside that space overwrites blocks the file system already holds: its
/// <c>fdatasync</c> writes the record and changes no metadata (on ext4: no journal commit, so it does not queue behind the
/// store's fsyncs). A burst beyond that space grows the file, which is still correct, just slower. What lies beyond the
/// last record written since the start-over is older: zeros, a torn record, or records the store already holds (seq below
/// its next seq). <see cref="Read"/> stops at the first record that does not check or does not follow its predecessor, and
/// calls the journal damaged only when a whole record the store lacks lies beyond that point. The start-over itself
/// writes nothing: a crash right after it leaves records the store holds, which replay skips.
/// </para>
/// <para>
/// A write that fails (ENOSPC while growing, EIO) is cut off: inside the zeroed space the next append overwrites it, and
/// beyond it the file is cut back; if that fails too, the journal takes no records until it has been started over.
/// </para>
/// </summary>
internal sealed class CustodyJournal : IDisposable
{
    public const string FileName = "outbox.journal";

    /// <summary>
    /// The file's header: magic <c>CTJH</c>, 4 zero bytes, then the store's next seq after the last move (int64, written
    /// without a sync): records below it were in the store. Replay needs it only when the store itself was lost, to tell
    /// the records it held (already delivered, perhaps) from those it never got.
    /// </summary>
    public const int FileHeaderBytes = 16;

    /// <summary>Zeroed bytes written when the journal is opened: about 300 scans, several seconds of flat-out scanning.</summary>
    public const int PreallocatedBytes = 256 * 1024;

    private readonly SafeFileHandle _handle;
    private long _length;
    private long _capacity;

    private CustodyJournal(string path, SafeFileHandle handle, long length, long capacity)
    {
        Path = path;
        _handle = handle;
        _length = length;
        _capacity = capacity;
    }

    public string Path { get; }

    /// <summary>Bytes of whole records written since the journal last started over.</summary>
    public long Length => _length - FileHeaderBytes;

    private static ReadOnlySpan<byte> HeaderMagic => "CTJH"u8;

    /// <summary>A failed write could not be cut off: no record is taken until <see cref="StartOver"/>.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>How many times the file was synced to disk since opening.</summary>
    public long DiskFlushes { get; private set; }

    /// <summary>
    /// Opens (or creates) the journal of the outbox in <paramref name="directory"/>, appending after its first
    /// <paramref name="keep"/> bytes (header and the whole records the store does not hold yet; 0 once replayed), and
    /// zero-fills it up to <see cref="PreallocatedBytes"/>. A disk too full for that gets a journal that grows with each
    /// append instead.
    /// </summary>
    public static CustodyJournal Open(string directory, long keep)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var length = RandomAccess.GetLength(handle);
            var capacity = Math.Max(keep, PreallocatedBytes);
            if (length > capacity)
            {
                RandomAccess.SetLength(handle, capacity);
            }
            else if (length < capacity)
            {
                try
                {
                    RandomAccess.Write(handle, new byte[capacity - length], length);
                    RandomAccess.FlushToDisk(handle);
                }
                catch (IOException)
                {
                    RandomAccess.SetLength(handle, length);
                    capacity = length;
                }
            }

            return new CustodyJournal(path, handle, Math.Max(keep, FileHeaderBytes), capacity);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The whole records at the start of the journal in <paramref name="directory"/>, in chain order, up to the first that
    /// does not check or does not follow its predecessor. <paramref name="storeNextSeq"/> is the store's next seq: only a
    /// whole record at or above it after that point makes the journal damaged (older ones are left from before a start-over).
    /// </summary>
    public static JournalContents Read(string directory, long storeNextSeq)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return new JournalContents([], FileHeaderBytes, FileHeaderBytes, Damaged: false, MovedThrough: 0);
        }

        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }

        var movedThrough = bytes.Length >= FileHeaderBytes && bytes.AsSpan(0, 4).SequenceEqual(HeaderMagic)
            ? System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8))
            : 0;
        var records = new List<JournalRecord>();
        var offset = Math.Min(FileHeaderBytes, bytes.Length);
        while (offset < bytes.Length
            && JournalRecord.TryDecode(bytes.AsSpan(offset)) is { } read
            && (records.Count == 0 || (read.Record.Seq == records[^1].Seq + 1 && read.Record.Prev == records[^1].EventId)))
        {
            records.Add(read.Record);
            offset += read.Length;
        }

        // A crash mid-append leaves a cut-off record (or zeros) there: expected, and so are records from before the last
        // start-over. A whole record the store lacks beyond this point means the damage is inside what was confirmed.
        var tail = bytes.AsSpan(offset);
        var cut = tail.ContainsAnyExcept((byte)0) ? tail.Length : 0;
        return new JournalContents(records, offset, offset + cut, Damaged: HasRecordFrom(bytes, offset, storeNextSeq), movedThrough);
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
            // Nothing of a failed append may be read at the next open as a record: inside the zeroed space it fails its
            // check and the next append overwrites it; beyond, the file is cut back.
            if (_length + bytes.Length > _capacity)
            {
                try
                {
                    RandomAccess.SetLength(_handle, Math.Max(_length, _capacity));
                    Sync();
                }
                catch (IOException)
                {
                    IsBroken = true;
                }
            }

            throw;
        }

        _length += bytes.Length;
        _capacity = Math.Max(_capacity, _length);
    }

    /// <summary>Starts the journal over once every record in it is durable in the store: the next append goes right after the header.</summary>
    public void StartOver()
    {
        if (IsBroken)
        {
            // The failed write's bytes are beyond the zeroed space: cut the file back to it.
            RandomAccess.SetLength(_handle, Math.Min(_capacity, PreallocatedBytes));
            _capacity = Math.Min(_capacity, PreallocatedBytes);
            IsBroken = false;
        }

        _length = FileHeaderBytes;
    }

    /// <summary>
    /// Records that the store's chain now reaches <paramref name="storeNextSeq"/> (after a move). Not synced: it only
    /// matters if the store is lost too, and a stale value then means records the store held are delivered again.
    /// </summary>
    public void MarkMoved(long storeNextSeq)
    {
        var header = new byte[FileHeaderBytes];
        HeaderMagic.CopyTo(header);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), storeNextSeq);
        RandomAccess.Write(_handle, header, 0);
    }

    /// <summary>Closes the file; an emptied journal is deleted (the next open creates it again).</summary>
    public void Dispose()
    {
        if (_length == FileHeaderBytes && !IsBroken)
        {
            try
            {
                File.Delete(Path);
            }
            catch (IOException)
            {
                // Left for the next open, which reads records the store already holds and skips them.
            }
        }

        _handle.Dispose();
    }

    /// <summary>Moves a damaged journal aside (<c>outbox.journal.corrupt-yyyyMMddHHmmss</c>) and returns where.</summary>
    public static string MoveAside(string directory, DateTimeOffset now)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        var target = path + ".corrupt-" + now.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        File.Move(path, target, overwrite: false);
        return target;
    }

    private static bool HasRecordFrom(byte[] bytes, int offset, long storeNextSeq)
    {
        for (var i = offset; i + JournalRecord.HeaderBytes <= bytes.Length; i++)
        {
            if (bytes[i] == (byte)'C' && JournalRecord.TryDecode(bytes.AsSpan(i)) is { } read && read.Record.Seq >= storeNextSeq)
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
/// What <see cref="CustodyJournal.Read"/> found: the whole records from the start, in chain order, where they end, where
/// the non-zero bytes after them end, and whether the damage lies inside the journal (a whole record the store lacks after
/// a bad one) rather than at its tail, and the store's next seq the header recorded after the last move.
/// </summary>
internal sealed record JournalContents(IReadOnlyList<JournalRecord> Records, long ValidLength, long FileLength, bool Damaged, long MovedThrough)
{
    /// <summary>Bytes after the last whole record that are not all zeros: a torn tail, older records, or the damage.</summary>
    public long CutBytes => FileLength - ValidLength;
}
