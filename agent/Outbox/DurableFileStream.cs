namespace SupplyChain.Agent.Outbox;

/// <summary>
/// A file stream whose every flush reaches the disk (fsync). LiteDB 5.0 flushes its log file at commit but only to the OS
/// cache (LiteDB issue #2818), so a power cut — the usual way a Pi stops — could lose an event the operator already heard
/// confirmed. Handing LiteDB this stream for its data and log files makes "committed" mean "on disk".
/// </summary>
internal sealed class DurableFileStream(string path, FileMode mode, FileShare share)
    : FileStream(path, mode, FileAccess.ReadWrite, share, bufferSize: 1)
{
    private long _diskFlushes;

    /// <summary>How many times this stream was flushed to disk.</summary>
    public long DiskFlushes => Interlocked.Read(ref _diskFlushes);

    public override void Flush(bool flushToDisk)
    {
        base.Flush(flushToDisk: true);
        Interlocked.Increment(ref _diskFlushes);
    }

    public override void Flush() => Flush(flushToDisk: true);

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush(flushToDisk: true);
        return Task.CompletedTask;
    }
}
