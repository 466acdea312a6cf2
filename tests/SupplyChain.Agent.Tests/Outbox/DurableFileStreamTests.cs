using SupplyChain.Agent.Outbox;

namespace SupplyChain.Agent.Tests.Outbox;

/// <summary>The write-ahead order of the outbox's file pair: the log reaches the disk before the data file changes.</summary>
public sealed class DurableFileStreamTests
{
    [Fact]
    public void Pair_LogFlushes_DeferredUntilDataFileWritten()
    {
        using var directory = new TempDirectory();
        var (data, log) = DurableFileStream.OpenPair(directory.File("d.db"), directory.File("d-log.db"), FileMode.Create, FileShare.None);
        using (data)
        using (log)
        {
            for (var i = 0; i < 5; i++)
            {
                log.Write(new byte[100]);
                log.Flush();
            }

            Assert.Equal(0, log.DiskFlushes);

            data.Write(new byte[100]);
            Assert.Equal(1, log.DiskFlushes);
            data.Write(new byte[100]);
            data.Flush();
            Assert.Equal(1, log.DiskFlushes);
            Assert.Equal(1, data.DiskFlushes);
        }
    }

    [Fact]
    public void Pair_LogLeftByEarlierProcess_SyncedBeforeDataFileChanges()
    {
        using var directory = new TempDirectory();
        File.WriteAllBytes(directory.File("d-log.db"), new byte[8192]);
        var (data, log) = DurableFileStream.OpenPair(directory.File("d.db"), directory.File("d-log.db"), FileMode.OpenOrCreate, FileShare.None);
        using (data)
        using (log)
        {
            data.SetLength(4096);
            Assert.Equal(1, log.DiskFlushes);
        }
    }

    [Fact]
    public void Single_EveryFlush_ReachesDisk()
    {
        using var directory = new TempDirectory();
        using var stream = new DurableFileStream(directory.File("s.db"), FileMode.Create, FileShare.None);
        stream.Write(new byte[10]);
        stream.Flush();
        stream.Flush();
        Assert.Equal(2, stream.DiskFlushes);
    }
}
