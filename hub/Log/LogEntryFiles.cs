using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Storage;

namespace SupplyChain.Hub.Log;

/// <summary>
/// The log's entries in two append-only files beside <c>log.db</c> (Tessera's POSIX layout rather than a B-tree):
/// <c>log.leaves</c> holds the leaves back to back, and <c>log.leafindex</c> one 48-byte record per entry (offset u64,
/// length u32, zero u32, leaf hash 32 bytes, little-endian). A batch is one write to each file and one <c>fdatasync</c>
/// of each, leaves first, so an index record never names bytes that are not on disk. At open, a torn tail (an index record
/// cut short, or one naming leaf bytes that never arrived) is cut off: it was never acknowledged.
/// <para>
/// Duplicates are found in memory: every leaf hash's first 8 bytes map to its index (about 30 bytes per entry), built
/// from the index file at open; a prefix match is confirmed against the stored hash, so a collision of prefixes costs
/// a read, never a wrong answer. LiteDB's unique index on random 32-byte hashes, which this replaces, was what limited
/// ingest (docs/BENCHMARKS.md "Whole system").
/// </para>
/// <para>Thread safety: one writer at a time (the caller's lock); reads run beside it and see whole batches only.</para>
/// </summary>
internal sealed class LogEntryFiles : IDisposable
{
    /// <summary>Bytes per index record.</summary>
    public const int RecordSize = 48;

    private const int HashOffset = 16;

    // The most leaf bytes one read brings in (a large range is read in several).
    private const int ReadRun = 4 << 20;

    private readonly string _leavesPath;
    private readonly string _indexPath;
    private readonly bool _durable;
    private readonly SafeFileHandle _leaves;
    private readonly SafeFileHandle _index;

    // Leaf-hash prefix → the first index with it; prefixes shared by different hashes also go to _collisions.
    private readonly Dictionary<ulong, long> _byPrefix = [];
    private readonly Dictionary<string, long> _collisions = new(StringComparer.Ordinal);
    private readonly Lock _lookupGate = new();

    private long _count;
    private long _leavesLength;

    // Set when a failed append could not be cut back off the files; the next append cuts it first.
    private bool _dirty;

    private LogEntryFiles(string basePath, bool durable)
    {
        _leavesPath = basePath + ".leaves";
        _indexPath = basePath + ".leafindex";
        _durable = durable;
        _leaves = File.OpenHandle(_leavesPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            _index = File.OpenHandle(_indexPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        }
        catch
        {
            _leaves.Dispose();
            throw;
        }
    }

    /// <summary>How many entries are stored (whole and durable).</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>
    /// Opens (or creates) the files for the log whose LiteDB file is <paramref name="logPath"/>, cuts off a torn tail, and
    /// reads every leaf hash into memory.
    /// </summary>
    public static LogEntryFiles Open(string logPath, bool durable)
    {
        var files = new LogEntryFiles(Path.ChangeExtension(logPath, null), durable);
        try
        {
            files.Recover();
            return files;
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    /// <summary>The index a stored leaf hash has, or null.</summary>
    public long? Find(ReadOnlySpan<byte> leafHash)
    {
        lock (_lookupGate)
        {
            return FindLocked(leafHash);
        }
    }

    /// <summary>
    /// Appends <paramref name="entries"/> at <see cref="Count"/> and makes them durable; throws (with nothing appended)
    /// when they could not be. Needs room for the entries plus <paramref name="minFreeBytes"/> on the files' disk.
    /// </summary>
    public void Append(IReadOnlyList<PendingEntry> entries, long minFreeBytes)
    {
        if (entries.Count == 0)
        {
            return;
        }

        CutBack();
        long leafBytes = 0;
        foreach (var entry in entries)
        {
            leafBytes += entry.Leaf.Length;
        }

        DiskRoom.Ensure(_leavesPath, minFreeBytes + leafBytes + ((long)entries.Count * RecordSize));

        var leaves = new byte[leafBytes];
        var records = new byte[entries.Count * RecordSize];
        var offset = _leavesLength;
        var at = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var leaf = entries[i].Leaf;
            leaf.CopyTo(leaves, at);
            var record = records.AsSpan(i * RecordSize, RecordSize);
            BinaryPrimitives.WriteInt64LittleEndian(record, offset + at);
            BinaryPrimitives.WriteInt32LittleEndian(record[8..], leaf.Length);
            entries[i].LeafHash.CopyTo(record[HashOffset..]);
            at += leaf.Length;
        }

        try
        {
            RandomAccess.Write(_leaves, leaves, _leavesLength);
            if (_durable)
            {
                RandomAccess.FlushToDisk(_leaves);
            }

            RandomAccess.Write(_index, records, _count * RecordSize);
            if (_durable)
            {
                RandomAccess.FlushToDisk(_index);
            }
        }
        catch
        {
            _dirty = true;
            CutBackQuietly();
            throw;
        }

        lock (_lookupGate)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                Remember(entries[i].LeafHash, _count + i);
            }
        }

        _leavesLength += leafBytes;
        Volatile.Write(ref _count, _count + entries.Count);
    }

    /// <summary>Entries <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1 that are stored, in order.</summary>
    public IReadOnlyList<StoredEntry> Read(long start, int count)
    {
        var end = Math.Min(start + count, Count);
        if (start < 0 || start >= end)
        {
            return [];
        }

        var n = (int)(end - start);
        var records = new byte[n * RecordSize];
        ReadExactly(_index, records, start * RecordSize);
        var result = new StoredEntry[n];

        // The leaves of consecutive entries lie back to back: read them in runs of up to ReadRun bytes.
        var i = 0;
        while (i < n)
        {
            var first = BinaryPrimitives.ReadInt64LittleEndian(records.AsSpan(i * RecordSize));
            var j = i;
            long runEnd = first;
            while (j < n)
            {
                var record = records.AsSpan(j * RecordSize);
                var entryEnd = BinaryPrimitives.ReadInt64LittleEndian(record) + BinaryPrimitives.ReadInt32LittleEndian(record[8..]);
                if (j > i && entryEnd - first > ReadRun)
                {
                    break;
                }

                runEnd = entryEnd;
                j++;
            }

            var leaves = new byte[runEnd - first];
            ReadExactly(_leaves, leaves, first);
            for (; i < j; i++)
            {
                var record = records.AsSpan(i * RecordSize, RecordSize);
                var offset = (int)(BinaryPrimitives.ReadInt64LittleEndian(record) - first);
                var length = BinaryPrimitives.ReadInt32LittleEndian(record[8..]);
                result[i] = new StoredEntry(start + i, leaves.AsSpan(offset, length).ToArray(), record.Slice(HashOffset, 32).ToArray());
            }
        }

        return result;
    }

    /// <summary>Forces everything written to disk (after appends made with durable off).</summary>
    public void Flush()
    {
        RandomAccess.FlushToDisk(_leaves);
        RandomAccess.FlushToDisk(_index);
    }

    public void Dispose()
    {
        _index?.Dispose();
        _leaves.Dispose();
    }

    // At open: the index's whole records, less any at the end that do not hold up; both files cut to that. A record holds
    // up when it starts where the one before it ended, names a non-empty leaf that is all in the leaves file, and that
    // leaf hashes to the record's leaf hash: a crash can leave a tail of either file unwritten or, on some file systems,
    // zero-filled, and only the last batch (never acknowledged) can be torn.
    private void Recover()
    {
        var indexLength = RandomAccess.GetLength(_index);
        var leavesLength = RandomAccess.GetLength(_leaves);
        var count = indexLength / RecordSize;
        long end = 0;
        while (count > 0 && !HoldsUp(count - 1, leavesLength, out end))
        {
            count--;
            end = 0;
        }

        if (indexLength != count * RecordSize || leavesLength != end)
        {
            RandomAccess.SetLength(_index, count * RecordSize);
            RandomAccess.SetLength(_leaves, end);
            if (_durable)
            {
                RandomAccess.FlushToDisk(_index);
                RandomAccess.FlushToDisk(_leaves);
            }
        }

        _count = count;
        _leavesLength = end;
        _byPrefix.EnsureCapacity((int)Math.Min(count, int.MaxValue / 2));
        const int Chunk = 16_384;
        var buffer = new byte[Chunk * RecordSize];
        for (long start = 0; start < count; start += Chunk)
        {
            var n = (int)Math.Min(Chunk, count - start);
            var span = buffer.AsSpan(0, n * RecordSize);
            ReadExactly(_index, span, start * RecordSize);
            for (var i = 0; i < n; i++)
            {
                Remember(span.Slice((i * RecordSize) + HashOffset, 32), start + i);
            }
        }
    }

    // Recover's check of the record at index (see there); end is where its leaf ends.
    private bool HoldsUp(long index, long leavesLength, out long end)
    {
        Span<byte> record = stackalloc byte[RecordSize];
        ReadExactly(_index, record, index * RecordSize);
        var offset = BinaryPrimitives.ReadInt64LittleEndian(record);
        var length = BinaryPrimitives.ReadInt32LittleEndian(record[8..]);
        end = offset + length;
        if (length <= 0 || offset < 0 || end > leavesLength)
        {
            return false;
        }

        var expectedOffset = 0L;
        if (index > 0)
        {
            Span<byte> previous = stackalloc byte[12];
            ReadExactly(_index, previous, (index - 1) * RecordSize);
            expectedOffset = BinaryPrimitives.ReadInt64LittleEndian(previous) + BinaryPrimitives.ReadInt32LittleEndian(previous[8..]);
        }

        if (offset != expectedOffset)
        {
            return false;
        }

        var leaf = new byte[length];
        ReadExactly(_leaves, leaf, offset);
        return Rfc9162.HashLeaf(leaf).AsSpan().SequenceEqual(record.Slice(HashOffset, 32));
    }

    // Under _lookupGate.
    private void Remember(ReadOnlySpan<byte> leafHash, long index)
    {
        var prefix = BinaryPrimitives.ReadUInt64LittleEndian(leafHash);
        if (!_byPrefix.TryAdd(prefix, index) && !StoredHashIs(_byPrefix[prefix], leafHash))
        {
            _collisions.TryAdd(Convert.ToHexString(leafHash), index);
        }
    }

    // Under _lookupGate.
    private long? FindLocked(ReadOnlySpan<byte> leafHash)
    {
        if (!_byPrefix.TryGetValue(BinaryPrimitives.ReadUInt64LittleEndian(leafHash), out var index))
        {
            return null;
        }

        if (StoredHashIs(index, leafHash))
        {
            return index;
        }

        return _collisions.TryGetValue(Convert.ToHexString(leafHash), out var other) ? other : null;
    }

    private bool StoredHashIs(long index, ReadOnlySpan<byte> leafHash)
    {
        Span<byte> stored = stackalloc byte[32];
        ReadExactly(_index, stored, (index * RecordSize) + HashOffset);
        return stored.SequenceEqual(leafHash);
    }

    // A failed append may have left bytes past the stored entries; they are cut before the next one.
    private void CutBack()
    {
        if (!_dirty)
        {
            return;
        }

        RandomAccess.SetLength(_index, _count * RecordSize);
        RandomAccess.SetLength(_leaves, _leavesLength);
        _dirty = false;
    }

    private void CutBackQuietly()
    {
        try
        {
            CutBack();
        }
        catch (IOException)
        {
            // Still dirty: the next append cuts first, and an open cuts anything an index record does not cover.
        }
    }

    private static void ReadExactly(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            var read = RandomAccess.Read(file, buffer, offset);
            if (read == 0)
            {
                throw new IOException("The log's entry files end early: they were changed outside the hub.");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }
}
