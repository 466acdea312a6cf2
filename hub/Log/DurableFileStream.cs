namespace SupplyChain.Hub.Log;

/// <summary>
/// A file stream whose every flush reaches the disk (fsync). LiteDB 5.0 never asks for that itself (LiteDB issue #2818),
/// so the log store hands it these streams and checkpoints after each commit; the agent's outbox does the same.
/// </summary>
internal sealed class DurableFileStream(string path)
    : FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1)
{
    public override void Flush(bool flushToDisk) => base.Flush(flushToDisk: true);

    public override void Flush() => Flush(flushToDisk: true);

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush(flushToDisk: true);
        return Task.CompletedTask;
    }
}
