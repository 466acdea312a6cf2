using System.Text;
using SupplyChain.Hub.Audit;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.Log;

namespace SupplyChain.Hub.Tests.Audit;

public sealed class LogAuditTests
{
    [Fact]
    public async Task Run_UntouchedLog_IsClean()
    {
        var directory = await BuildLogAsync(600);
        using var store = new LiteDbLogStore(Path.Combine(directory, "log.db"));
        var report = new LogAudit(store, HubSigningKey.LoadOrCreate(directory, new LogOptions().Origin).Verifier, new LogOptions().Origin).Run();

        Assert.True(report.IsClean, report.Failure);
        Assert.Equal(600, report.Entries);
    }

    // Regression: entries sequenced after the last checkpoint were once reported as missing.
    [Fact]
    public async Task Run_EntriesSequencedAfterTheLastCheckpoint_IsClean()
    {
        var directory = LogHarness.NewDirectory();
        await using (var log = await LogHarness.StartAsync(directory))
        {
            await Task.WhenAll(Enumerable.Range(0, 300).Select(i => log.AppendAsync($"integrated {i}")));
            log.Integrator.IntegrateOnce();
            await Task.WhenAll(Enumerable.Range(0, 50).Select(i => log.AppendAsync($"sequenced only {i}")));
        }

        using var store = new LiteDbLogStore(Path.Combine(directory, "log.db"));
        var report = new LogAudit(store, HubSigningKey.LoadOrCreate(directory, new LogOptions().Origin).Verifier, new LogOptions().Origin).Run();

        Assert.True(report.IsClean, report.Failure);
        Assert.Equal(350, report.Entries);
        Assert.Equal(300, store.ReadState().IntegratedSize);
    }

    [Fact]
    public async Task Run_OneByteOfAnEntryFlippedInTheFile_FailsAtThatEntry()
    {
        var directory = await BuildLogAsync(600);
        FlipByteOf(Path.Combine(directory, "log.leaves"), Encoding.UTF8.GetBytes("entry-00423-"));

        using var store = new LiteDbLogStore(Path.Combine(directory, "log.db"));
        var report = new LogAudit(store, HubSigningKey.LoadOrCreate(directory, new LogOptions().Origin).Verifier, new LogOptions().Origin).Run();

        Assert.False(report.IsClean);
        Assert.Equal(423, report.FailedIndex);
    }

    [Fact]
    public async Task Run_CheckpointCheckedWithAnotherKey_Fails()
    {
        var directory = await BuildLogAsync(10);
        var stranger = HubSigningKey.LoadOrCreate(LogHarness.NewDirectory(), new LogOptions().Origin);
        using var store = new LiteDbLogStore(Path.Combine(directory, "log.db"));
        var report = new LogAudit(store, stranger.Verifier, new LogOptions().Origin).Run();

        Assert.False(report.IsClean);
        Assert.Contains("signature", report.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditCommand_CleanAndCorruptLog_ExitsZeroThenOne()
    {
        var directory = await BuildLogAsync(300);
        Assert.Equal(0, await HubCommandLine.Build().Parse(["log", "audit", "--data", directory]).InvokeAsync());

        FlipByteOf(Path.Combine(directory, "log.leaves"), Encoding.UTF8.GetBytes("entry-00007-"));
        Assert.Equal(1, await HubCommandLine.Build().Parse(["log", "audit", "--data", directory]).InvokeAsync());
    }

    private static async Task<string> BuildLogAsync(int count)
    {
        var directory = LogHarness.NewDirectory();
        await using var log = await LogHarness.StartAsync(directory, new LogOptions { IntegrationChunk = 256 });
        for (var i = 0; i < count; i++)
        {
            await log.AppendAsync($"entry-{i:D5}-payload");
        }

        log.Integrator.IntegrateOnce();
        return directory;
    }

    // Corrupts the entry file itself, as a bad disk would: one byte inside the stored entry that carries the marker.
    private static void FlipByteOf(string path, byte[] marker)
    {
        var bytes = File.ReadAllBytes(path);
        var at = bytes.AsSpan().IndexOf(marker);
        Assert.True(at >= 0, "marker not found in the entry file");
        bytes[at + marker.Length] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }
}
