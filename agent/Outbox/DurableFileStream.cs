namespace SupplyChain.Agent.Outbox;

/// <summary>
/// A file stream whose flushes reach the disk (fsync). LiteDB 5.0 flushes its files at commit but only to the OS cache
/// (LiteDB issue #2818), so a power cut — the usual way a Pi stops — could lose an event the operator already heard
/// confirmed. Handing LiteDB these streams for its data and log files makes "committed and checkpointed" mean "on disk".
/// <para>
/// The two files are a pair (<see cref="OpenPair"/>). LiteDB writes a transaction's pages to its log from a background
/// writer that flushes after every few pages, then the checkpoint copies them into the data file in place and flushes
/// it. Turning each of the writer's flushes into an fsync cost one fsync per one or two pages (1,446 fsyncs in 12 s of
/// backlog drain, measured with strace). What durability needs is the write-ahead order: the log is on disk before the
/// data file is changed (so a torn checkpoint is replayed from it at the next open), and the data file is on disk when
/// the checkpoint returns. So the log's own flushes go to the OS cache only and mark it unsynced; the first write to the
/// data file (or change of its length) after that fsyncs the log once, and every flush of the data file is an fsync.
/// A transaction made durable by commit and checkpoint costs two fsyncs, however many pages it touched.
/// </para>
/// </summary>
internal sealed class DurableFileStream : FileStream
{
    private readonly DurableFileStream? _writeAhead;
    private readonly bool _deferred;
    private readonly Lock _gate = new();
    private long _diskFlushes;
    private bool _unsynced;

    /// <summary>A stream on its own: every flush is an fsync.</summary>
    public DurableFileStream(string path, FileMode mode, FileShare share)
        : this(path, mode, share, writeAhead: null, deferred: false)
    {
    }

    private DurableFileStream(string path, FileMode mode, FileShare share, DurableFileStream? writeAhead, bool deferred)
        : base(path, mode, FileAccess.ReadWrite, share, bufferSize: 1)
    {
        _writeAhead = writeAhead;
        _deferred = deferred;
    }

    /// <summary>How many times this stream was flushed to disk.</summary>
    public long DiskFlushes => Interlocked.Read(ref _diskFlushes);

    /// <summary>
    /// The data file and its write-ahead log for one LiteDB database: the log is fsynced once before the data file
    /// changes, the data file at every flush.
    /// </summary>
    public static (DurableFileStream Data, DurableFileStream Log) OpenPair(string dataPath, string logPath, FileMode mode, FileShare share)
    {
        var log = new DurableFileStream(logPath, mode, share, writeAhead: null, deferred: true);
        try
        {
            // A log left by a process that died before its checkpoint may still be only in the OS cache; LiteDB replays it
            // into the data file at open, so it goes to disk before that.
            log._unsynced = log.Length > 0;
            return (new DurableFileStream(dataPath, mode, share, log, deferred: false), log);
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    public override void Flush(bool flushToDisk)
    {
        if (_deferred)
        {
            lock (_gate)
            {
                base.Flush(flushToDisk: false);
                _unsynced = true;
            }

            return;
        }

        _writeAhead?.Sync();
        base.Flush(flushToDisk: true);
        Interlocked.Increment(ref _diskFlushes);
    }

    public override void Flush() => Flush(flushToDisk: true);

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush(flushToDisk: true);
        return Task.CompletedTask;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        _writeAhead?.Sync();
        base.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _writeAhead?.Sync();
        base.Write(buffer);
    }

    public override void WriteByte(byte value)
    {
        _writeAhead?.Sync();
        base.WriteByte(value);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _writeAhead?.Sync();
        return base.WriteAsync(buffer, offset, count, cancellationToken);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _writeAhead?.Sync();
        return base.WriteAsync(buffer, cancellationToken);
    }

    public override void SetLength(long value)
    {
        _writeAhead?.Sync();
        base.SetLength(value);
    }

    // The log: what LiteDB flushed since the last fsync goes to disk now.
    private void Sync()
    {
        lock (_gate)
        {
            if (!_unsynced)
            {
                return;
            }

            base.Flush(flushToDisk: true);
            _unsynced = false;
            Interlocked.Increment(ref _diskFlushes);
        }
    }
}
